package dev.codelab.shared.db;

import java.util.List;
import java.util.Optional;

import dev.codelab.shared.testing.TestInfra;
import io.helidon.dbclient.DbRow;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DatabaseTest {

    @Test
    void migratesAndServesQueriesThroughDbClient() {
        String url = TestInfra.newDatabase();
        try (Database db = Database.start(url, 2, "sharedtest")) {
            db.dbClient().execute().dml("INSERT INTO notes(body) VALUES (?)", "hello");
            List<String> bodies = db.dbClient().execute().query("SELECT body FROM notes ORDER BY id")
                    .map(row -> row.column("body").getString()).toList();

            assertThat(bodies, is(List.of("hello")));
            assertThat(db.isReachable(), is(true));
        }
        // A second start on the same database finds the schema applied and leaves the rows alone.
        try (Database db = Database.start(url, 2, "sharedtest")) {
            Optional<DbRow> row = db.dbClient().execute().get("SELECT count(*) AS n FROM notes");
            assertThat(row.orElseThrow().column("n").getLong(), is(1L));
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
}
