package dev.codelab.shared.testing;

import dev.codelab.shared.embedded.EmbeddedPostgresServer;
import dev.codelab.shared.embedded.EmbeddedRedisServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real PostgreSQL and Redis for tests: one embedded server of each per test JVM, started on first use, or the
 * servers named by {@code CODELAB_TEST_DB_URL} (a JDBC URL with a user allowed to create databases) and
 * {@code CODELAB_TEST_REDIS_URL}. Each call of {@link #newDatabase()} gives an empty database of its own, so
 * test classes never see each other's rows.
 */
public final class TestInfra {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgresServer postgres;
    private static EmbeddedRedisServer redis;

    private TestInfra() {}

    /** JDBC URL (user and password included) of a new, empty database. */
    public static synchronized String newDatabase() {
        String name = "t" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        String external = System.getenv("CODELAB_TEST_DB_URL");
        if (external != null && !external.isBlank()) {
            try (Connection c = DriverManager.getConnection(external);
                    Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot create a test database on CODELAB_TEST_DB_URL", e);
            }
            return withDatabase(external, name);
        }
        if (postgres == null) {
            postgres = EmbeddedPostgresServer.start(null);
        }
        postgres.createDatabase(name);
        return postgres.jdbcUrl(name);
    }

    /** URL of the shared test Redis. Tests that share it use keys of their own (or flush them). */
    public static synchronized String redisUrl() {
        String external = System.getenv("CODELAB_TEST_REDIS_URL");
        if (external != null && !external.isBlank()) {
            return external;
        }
        if (redis == null) {
            redis = EmbeddedRedisServer.start(0, null);
        }
        return redis.url();
    }

    /** A Redis of the caller's own, which it may stop and restart (fault tests); the caller closes it. */
    public static EmbeddedRedisServer ownRedis() {
        return EmbeddedRedisServer.start(0, null);
    }

    /**
     * Empties every table of a database but Flyway's history, and restarts its sequences: a service that stays up
     * for a whole test class starts each test on the rows of a new database.
     */
    public static void emptyTables(String jdbcUrl) {
        try (Connection c = DriverManager.getConnection(jdbcUrl);
                Statement s = c.createStatement();
                ResultSet tables = s.executeQuery("SELECT string_agg(format('%I.%I', schemaname, tablename), ', ') "
                        + "FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') "
                        + "AND tablename <> 'flyway_schema_history'")) {
            tables.next();
            String names = tables.getString(1);
            if (names != null) {
                s.execute("TRUNCATE " + names + " RESTART IDENTITY CASCADE");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot empty the tables of " + jdbcUrl, e);
        }
    }

    static String withDatabase(String jdbcUrl, String database) {
        int slash = jdbcUrl.indexOf('/', "jdbc:postgresql://".length());
        int query = jdbcUrl.indexOf('?');
        String base = slash < 0 ? (query < 0 ? jdbcUrl : jdbcUrl.substring(0, query)) : jdbcUrl.substring(0, slash);
        String params = query < 0 ? "" : jdbcUrl.substring(query);
        return base + "/" + database + params;
    }
}
