package dev.codelab.shared.db;

import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * SQL statements through Helidon DbClient, with positional {@code ?} parameters. Every statement is read to its
 * end before the call returns, so none can keep its connection: outside a transaction each statement borrows a
 * pool connection for itself alone; inside {@link Database#transaction} they share the transaction's.
 *
 * <p>{@link Instant} parameters are bound as {@code timestamptz}. DbClient binds a {@link java.util.UUID} as text,
 * so SQL comparing or storing one casts it ({@code ?::uuid}). Failures come out as {@link DatabaseFailures} maps
 * them.
 */
public final class Sql {

    private final Supplier<DbExecute> statements;

    Sql(Supplier<DbExecute> statements) {
        this.statements = statements;
    }

    /** Every row, mapped. */
    public <T> List<T> list(String sql, Function<DbRow, T> mapper, Object... params) {
        try (Stream<DbRow> rows = statements.get().query(sql, bind(params))) {
            return rows.map(mapper).toList();
        } catch (RuntimeException e) {
            throw DatabaseFailures.translate(e);
        }
    }

    /** The first row, mapped, if there is one. */
    public <T> Optional<T> one(String sql, Function<DbRow, T> mapper, Object... params) {
        Optional<DbRow> row;
        try {
            row = statements.get().get(sql, bind(params));
        } catch (RuntimeException e) {
            throw DatabaseFailures.translate(e);
        }
        return row.map(mapper);
    }

    /** An INSERT, UPDATE or DELETE without a result set; returns the number of rows it changed. */
    public long update(String sql, Object... params) {
        try {
            return statements.get().dml(sql, bind(params));
        } catch (RuntimeException e) {
            throw DatabaseFailures.translate(e);
        }
    }

    private static Object[] bind(Object[] params) {
        Object[] bound = params.clone();
        for (int i = 0; i < bound.length; i++) {
            if (bound[i] instanceof Instant instant) {
                bound[i] = instant.atOffset(ZoneOffset.UTC);
            }
        }
        return bound;
    }
}
