package dev.codelab.shared.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;
import io.helidon.dbclient.jdbc.JdbcClientBuilder;
import java.time.Duration;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A service's database: a Hikari pool, its Flyway migrations applied, and a Helidon {@link DbClient} over it that
 * every statement goes through ({@link #sql()}, {@link #transaction}). A connection is borrowed for one statement
 * or one transaction and handed back when it ends.
 */
public final class Database implements AutoCloseable {

    /** How long a statement waits for its turn at a busy pool before the caller gets 503. */
    private static final Duration QUEUE_TIMEOUT = Duration.ofSeconds(30);
    /** How long the pool tries to reach the database for a connection before the caller gets 503. */
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);

    private final HikariDataSource dataSource;
    private final FairConnections connections;
    private final DbClient dbClient;
    private final Sql sql;

    private Database(HikariDataSource dataSource, int poolSize) {
        this.dataSource = dataSource;
        this.connections = new FairConnections(dataSource, poolSize, QUEUE_TIMEOUT, CONNECTION_TIMEOUT);
        this.dbClient =
                JdbcClientBuilder.create().connectionPool(connections::borrow).build();
        this.sql = new Sql(dbClient::execute);
    }

    /**
     * Opens the pool and migrates the schema from {@code classpath:db/migration/<migrations>}.
     *
     * @param url      a JDBC URL, or a {@code postgresql://user:password@host:port/db} URL as the original used
     * @param poolSize the most connections this service holds
     */
    public static Database start(String url, int poolSize, String migrations) {
        PostgresUrl parsed = PostgresUrl.parse(url);
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(parsed.jdbcUrl());
        parsed.username().ifPresent(hikari::setUsername);
        parsed.password().ifPresent(hikari::setPassword);
        hikari.setMaximumPoolSize(poolSize);
        hikari.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        hikari.setPoolName(migrations + "-db");
        HikariDataSource dataSource = new HikariDataSource(hikari);
        try {
            migrate(dataSource, migrations);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dataSource, poolSize);
    }

    static void migrate(DataSource dataSource, String migrations) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration/" + migrations)
                .load()
                .migrate();
    }

    /** Statements outside a transaction: each one borrows a connection for itself alone. */
    public Sql sql() {
        return sql;
    }

    /**
     * Runs {@code work} in one {@link DbTransaction}: it commits when work returns and rolls back when it throws
     * (the exception goes on unchanged). The transaction holds a connection from its first statement to its end.
     */
    public <T> T transaction(Function<Sql, T> work) {
        DbTransaction tx = dbClient.transaction();
        T result;
        try {
            result = work.apply(new Sql(() -> tx));
        } catch (RuntimeException | Error e) {
            rollback(tx, e);
            throw e;
        }
        try {
            tx.commit();
        } catch (RuntimeException e) {
            throw DatabaseFailures.translate(e);
        }
        return result;
    }

    private static void rollback(DbTransaction tx, Throwable cause) {
        if (cause instanceof DatabaseUnavailableException unavailable && unavailable.beforeConnection()) {
            return; // the first statement got no connection: there is nothing to roll back
        }
        try {
            tx.rollback();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /** How the pool was used since the start or the last {@link #resetPoolUsage()}. */
    public PoolUsage poolUsage() {
        return connections.usage();
    }

    public void resetPoolUsage() {
        connections.reset();
    }

    /** A cheap liveness query, for readiness endpoints. */
    public boolean isReachable() {
        try (var connection = dataSource.getConnection()) {
            return connection.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        dbClient.close();
        dataSource.close();
    }
}
