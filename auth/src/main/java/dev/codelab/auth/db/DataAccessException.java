package dev.codelab.auth.db;

import java.sql.SQLException;

/**
 * A failed statement. The message carries PostgreSQL's error text, which never contains a secret here: the
 * tables hold only hashes and encrypted keys.
 */
public final class DataAccessException extends RuntimeException {

    private static final String UNIQUE_VIOLATION = "23505";

    private final String sqlState;

    DataAccessException(SQLException cause) {
        super("Database error: " + cause.getMessage(), cause);
        this.sqlState = cause.getSQLState();
    }

    public boolean isUniqueViolation() {
        return UNIQUE_VIOLATION.equals(sqlState);
    }
}
