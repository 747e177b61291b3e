package dev.codelab.auth.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import javax.sql.DataSource;

import dev.codelab.shared.db.DatabaseUnavailableException;

/**
 * Plain JDBC over the service's pool: each unit of work runs in one transaction, so a token rotation, its
 * child token and its audit row commit together. {@link Instant} parameters are bound as {@code timestamptz}.
 */
public final class Jdbc {

    private final DataSource dataSource;

    public Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs {@code work} in a transaction; it commits when work returns and rolls back when it throws. */
    public <T> T transaction(Function<Tx, T> work) {
        Connection connection;
        try {
            connection = dataSource.getConnection();
        } catch (SQLException e) {
            throw new DatabaseUnavailableException(e);
        }
        try (connection) {
            connection.setAutoCommit(false);
            try {
                T result = work.apply(new Tx(connection));
                connection.commit();
                return result;
            } catch (RuntimeException e) {
                rollback(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private static void rollback(Connection connection, RuntimeException cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** A lost or refused connection (SQLSTATE class 08, or 57P: the server shutting down) is an outage, not a bug. */
    static RuntimeException failure(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return state.startsWith("08") || state.startsWith("57P") ? new DatabaseUnavailableException(e) : new DataAccessException(e);
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        return transaction(tx -> tx.query(sql, mapper, params));
    }

    public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
        return transaction(tx -> tx.queryOne(sql, mapper, params));
    }

    public int update(String sql, Object... params) {
        return transaction(tx -> tx.update(sql, params));
    }

    /** Reads a {@code timestamptz} column, or {@code null}. */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** The statements of one transaction. */
    public static final class Tx {

        private final Connection connection;

        private Tx(Connection connection) {
            this.connection = connection;
        }

        public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
            try (PreparedStatement statement = prepare(sql, params); ResultSet rs = statement.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            } catch (SQLException e) {
                throw failure(e);
            }
        }

        public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... params) {
            List<T> rows = query(sql, mapper, params);
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
        }

        public int update(String sql, Object... params) {
            try (PreparedStatement statement = prepare(sql, params)) {
                return statement.executeUpdate();
            } catch (SQLException e) {
                throw failure(e);
            }
        }

        private PreparedStatement prepare(String sql, Object... params) throws SQLException {
            PreparedStatement statement = connection.prepareStatement(sql);
            for (int i = 0; i < params.length; i++) {
                Object value = params[i] instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC) : params[i];
                statement.setObject(i + 1, value);
            }
            return statement;
        }
    }
}
