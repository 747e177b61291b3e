package dev.codelab.shared.db;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.codelab.shared.testing.TestInfra;
import io.helidon.dbclient.DbRow;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DatabaseTest {

    @Test
    void migratesAndServesStatementsThroughDbClient() {
        String url = TestInfra.newDatabase();
        try (Database db = Database.start(url, 2, "sharedtest")) {
            assertThat(db.sql().update("INSERT INTO notes(body) VALUES (?)", "hello"), is(1L));
            List<String> bodies = db.sql().list("SELECT body FROM notes ORDER BY id", row -> Rows.text(row, "body"));

            assertThat(bodies, is(List.of("hello")));
            assertThat(db.isReachable(), is(true));
        }
        // A second start on the same database finds the schema applied and leaves the rows alone.
        try (Database db = Database.start(url, 2, "sharedtest")) {
            Optional<Long> count = db.sql().one("SELECT count(*) AS n FROM notes", row -> Rows.longValue(row, "n"));
            assertThat(count, is(Optional.of(1L)));
        }
    }

    @Test
    void bindsAndReadsThePostgresTypesTheServicesUse() {
        try (Database db = Database.start(TestInfra.newDatabase(), 2, "sharedtest")) {
            UUID id = UUID.randomUUID();
            Instant at = Instant.parse("2024-05-06T07:08:09.123456Z");
            db.sql()
                    .update(
                            "INSERT INTO typed (id, at, doc, n, big, flag, raw, name) "
                                    + "VALUES (?::uuid, ?, ?::jsonb, ?, ?, ?, ?, ?)",
                            id,
                            at,
                            """
                                    {"a": [1]}""",
                            7,
                            8L,
                            true,
                            new byte[] {1, 2},
                            "x".repeat(2000));
            db.sql()
                    .update(
                            "INSERT INTO typed (id, at, doc, n, big, flag, raw, name) "
                                    + "VALUES (?::uuid, ?, ?::jsonb, ?, ?, ?, ?, ?)",
                            UUID.randomUUID(),
                            null,
                            null,
                            null,
                            1L,
                            false,
                            null,
                            null);

            Typed row = db.sql()
                    .one("SELECT * FROM typed WHERE id = ?::uuid", DatabaseTest::typed, id)
                    .orElseThrow();
            assertThat(row.id(), is(id));
            assertThat(row.at(), is(at));
            assertThat(row.utc(), is(OffsetDateTime.of(2024, 5, 6, 7, 8, 9, 123456000, ZoneOffset.UTC)));
            assertThat(row.doc(), is("""
                    {"a": [1]}"""));
            assertThat(row.n(), is(7));
            assertThat(row.big(), is(8L));
            assertThat(row.flag(), is(true));
            assertThat(row.raw(), is(new byte[] {1, 2}));
            assertThat(row.name().length(), is(2000));

            Typed empty = db.sql()
                    .one("SELECT * FROM typed WHERE at IS NULL", DatabaseTest::typed)
                    .orElseThrow();
            assertThat(empty.at(), is(nullValue()));
            assertThat(empty.doc(), is(nullValue()));
            assertThat(empty.n(), is(nullValue()));
            assertThat(
                    db.sql()
                            .list(
                                    "SELECT big FROM typed WHERE at < ? OR doc @> ?::jsonb ORDER BY big",
                                    r -> Rows.longValue(r, "big"),
                                    at.plus(1, ChronoUnit.SECONDS),
                                    """
                                            {"a": [1]}"""),
                    is(List.of(8L)));
            assertThat(
                    db.sql()
                            .list(
                                    "SELECT big FROM typed WHERE id = ANY(?::uuid[]) ORDER BY big",
                                    r -> Rows.longValue(r, "big"),
                                    (Object) new String[] {
                                        id.toString(), UUID.randomUUID().toString()
                                    }),
                    is(List.of(8L)));
        }
    }

    @Test
    void aTransactionCommitsWhenItsWorkReturnsAndRollsBackWhenItThrows() {
        try (Database db = Database.start(TestInfra.newDatabase(), 2, "sharedtest")) {
            long id = db.transaction(tx -> {
                tx.update("INSERT INTO notes(body) VALUES (?)", "kept");
                return tx.one("SELECT id FROM notes WHERE body = ?", r -> Rows.longValue(r, "id"), "kept")
                        .orElseThrow();
            });
            IllegalStateException thrown = assertThrows(
                    IllegalStateException.class,
                    () -> db.transaction(tx -> {
                        tx.update("INSERT INTO notes(body) VALUES (?)", "dropped");
                        throw new IllegalStateException("domain says no");
                    }));

            assertThat(thrown.getMessage(), is("domain says no"));
            assertThat(
                    db.sql()
                            .list(
                                    "SELECT id, body FROM notes",
                                    r -> Rows.longValue(r, "id") + ":" + Rows.text(r, "body")),
                    is(List.of(id + ":kept")));
        }
    }

    @Test
    void noStatementKeepsItsConnectionEvenWhenItsRowsCannotBeRead() {
        // Two connections (Flyway needs them): statements that kept theirs would soon leave the next waiting for
        // the pool's timeout, and the peak shows any connection kept beyond its statement.
        try (Database db = Database.start(TestInfra.newDatabase(), 2, "sharedtest")) {
            db.resetPoolUsage();
            db.sql().update("INSERT INTO notes(body) VALUES ('a'), ('b')");
            for (int i = 0; i < 3; i++) {
                assertThrows(
                        IllegalArgumentException.class,
                        () -> db.sql().list("SELECT body FROM notes", r -> {
                            throw new IllegalArgumentException("cannot map");
                        }));
                assertThrows(DatabaseException.class, () -> db.sql().one("SELECT nope FROM notes", r -> 1));
                assertThrows(
                        DatabaseException.class,
                        () -> db.sql().list("SELECT body FROM notes", r -> Rows.text(r, "missing")));
                assertThrows(DatabaseException.class, () -> db.transaction(tx -> tx.update("UPDATE nope SET x = 1")));
            }
            assertThat(
                    db.sql().list("SELECT body FROM notes ORDER BY body", r -> Rows.text(r, "body")),
                    is(List.of("a", "b")));
            PoolUsage usage = db.poolUsage();
            assertThat(usage.peakInUse(), is(1));
            assertThat(usage.inUse(), is(0));
            assertThat(usage.borrows(), greaterThanOrEqualTo(14L));
            assertThat(usage.timeouts(), is(0L));
        }
    }

    @Test
    void failuresComeOutAsTheDocumentedAnswers() {
        try (Database db = Database.start(TestInfra.newDatabase(), 2, "sharedtest")) {
            db.sql().update("INSERT INTO typed (id, big, name) VALUES (?::uuid, 1, 'taken')", UUID.randomUUID());

            ConstraintViolationException taken = assertThrows(
                    ConstraintViolationException.class,
                    () -> db.sql()
                            .update(
                                    "INSERT INTO typed (id, big, name) VALUES (?::uuid, 2, 'taken')",
                                    UUID.randomUUID()));
            assertThat(taken.isUniqueViolation(), is(true));
            assertThat(taken.constraint(), is("typed_name_key"));
            assertThat(taken.status().code(), is(409));
            assertThat(taken.code(), is("conflict"));

            DatabaseException bug = assertThrows(
                    DatabaseException.class,
                    () -> db.sql().update("INSERT INTO typed (id) VALUES (?)", UUID.randomUUID()));
            assertThat(bug.getMessage(), containsString("42804"));

            // The server ending our session (as during a restart) is an outage, not a bug: 503.
            DatabaseUnavailableException gone = assertThrows(
                    DatabaseUnavailableException.class,
                    () -> db.sql().list("SELECT pg_terminate_backend(pg_backend_pid())", r -> 1));
            assertThat(gone.status().code(), is(503));
            assertThat(gone.code(), is("service_unavailable"));
            assertThat(db.sql().one("SELECT 1 AS one", r -> Rows.intValue(r, "one")), is(Optional.of(1)));
        }
    }

    @Test
    void parsesBothUrlForms() {
        PostgresUrl jdbc = PostgresUrl.parse("jdbc:postgresql://db:5432/auth_db?user=a");
        assertThat(jdbc.jdbcUrl(), is("jdbc:postgresql://db:5432/auth_db?user=a"));
        assertThat(jdbc.username(), is(Optional.empty()));

        PostgresUrl original = PostgresUrl.parse("postgresql+asyncpg://codelab:p%40ss@postgres:5432/agent_db");
        assertThat(original.jdbcUrl(), is("jdbc:postgresql://postgres:5432/agent_db"));
        assertThat(original.username(), is(Optional.of("codelab")));
        assertThat(original.password(), is(Optional.of("p@ss")));
        assertThat(original.toString().contains("p@ss"), is(false));

        assertThrows(IllegalArgumentException.class, () -> PostgresUrl.parse("mysql://x/y"));
        assertThrows(IllegalArgumentException.class, () -> PostgresUrl.parse(" "));
    }

    /** Every column of {@code typed} through the {@link Rows} reader of its type. */
    private static Typed typed(DbRow r) {
        return new Typed(
                Rows.uuid(r, "id"),
                Rows.instant(r, "at"),
                Rows.utc(r, "at"),
                Rows.text(r, "doc"),
                Rows.integer(r, "n"),
                Rows.longValue(r, "big"),
                Rows.bool(r, "flag"),
                Rows.bytes(r, "raw"),
                Rows.text(r, "name"));
    }

    private record Typed(
            UUID id,
            Instant at,
            OffsetDateTime utc,
            String doc,
            Integer n,
            long big,
            boolean flag,
            byte[] raw,
            String name) {}
}
