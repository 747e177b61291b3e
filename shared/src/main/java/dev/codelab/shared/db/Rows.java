package dev.codelab.shared.db;

import io.helidon.dbclient.DbRow;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.UUID;

/**
 * Reading columns of a {@link DbRow} as the types the services use. DbClient hands over what the driver returns
 * ({@code timestamptz} as a {@link Date} subclass, {@code jsonb} as an object whose text is the JSON, numbers as
 * the column's own width); these turn that into {@link Instant}, UTC {@link OffsetDateTime}, text and numbers.
 */
public final class Rows {

    private Rows() {}

    public static String text(DbRow row, String column) {
        Object value = row.column(column).get(Object.class);
        return value == null ? null : value.toString();
    }

    public static Instant instant(DbRow row, String column) {
        Date value = row.column(column).get(Date.class);
        return value == null ? null : value.toInstant();
    }

    public static OffsetDateTime utc(DbRow row, String column) {
        Instant value = instant(row, column);
        return value == null ? null : value.atOffset(ZoneOffset.UTC);
    }

    public static UUID uuid(DbRow row, String column) {
        return row.column(column).get(UUID.class);
    }

    public static long longValue(DbRow row, String column) {
        return row.column(column).get(Number.class).longValue();
    }

    public static int intValue(DbRow row, String column) {
        return row.column(column).get(Number.class).intValue();
    }

    /** An integer column that may be null. */
    public static Integer integer(DbRow row, String column) {
        Number value = row.column(column).get(Number.class);
        return value == null ? null : value.intValue();
    }

    public static boolean bool(DbRow row, String column) {
        return row.column(column).get(Boolean.class);
    }

    public static byte[] bytes(DbRow row, String column) {
        return row.column(column).get(byte[].class);
    }
}
