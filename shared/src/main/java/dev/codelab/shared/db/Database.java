package dev.codelab.shared.db;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.jdbc.JdbcClientBuilder;
import org.flywaydb.core.Flyway;

/**
 * A service's database: a Hikari pool, its Flyway migrations applied, and a Helidon {@link DbClient} over it.
 */
public final class Database implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final DbClient dbClient;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.dbClient = JdbcClientBuilder.create()
                .connectionPool(() -> {
                    try {
                        return dataSource.getConnection();
                    } catch (java.sql.SQLException e) {
                        throw new DatabaseUnavailableException(e);
                    }
                })
                .build();
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
        hikari.setConnectionTimeout(5000);
        hikari.setPoolName(migrations + "-db");
        HikariDataSource dataSource = new HikariDataSource(hikari);
        try {
            migrate(dataSource, migrations);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return new Database(dataSource);
    }

    static void migrate(DataSource dataSource, String migrations) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration/" + migrations)
                .load()
                .migrate();
    }

    public DbClient dbClient() {
        return dbClient;
    }

    public DataSource dataSource() {
        return dataSource;
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
        dataSource.close();
    }
}
