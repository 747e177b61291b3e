package dev.codelab.agent.api;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import dev.codelab.shared.db.DatabaseUnavailableException;

/**
 * Borrowing pool connections with the documented 503 when the database is down.
 */
final class Connections {

    private Connections() {
    }

    static Connection open(DataSource dataSource) {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new DatabaseUnavailableException(e);
        }
    }

    /** Runs {@code work} on a borrowed connection and returns it to the pool. */
    static void with(DataSource dataSource, java.util.function.Consumer<Connection> work) {
        Connection connection = open(dataSource);
        try {
            work.accept(connection);
        } finally {
            close(connection);
        }
    }

    static void close(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the pool discards a broken connection
        }
    }
}
