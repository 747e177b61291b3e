package dev.codelab.shared.db;

import io.helidon.dbclient.DbClientException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * The one place that decides what a database failure means to a caller, for every service:
 * <ul>
 *   <li>unreachable or overloaded (no pool connection in time; SQLSTATE class 08 connection exception, 53
 *       insufficient resources, 57 operator intervention) → {@link DatabaseUnavailableException}, 503;</li>
 *   <li>a broken constraint (class 23) → {@link ConstraintViolationException}, the domain's 4xx (409 unless the
 *       domain says otherwise);</li>
 *   <li>anything else from the database or DbClient → {@link DatabaseException}, a logged 500.</li>
 * </ul>
 * Exceptions that did not come from the database (a mapper's own, a domain error) pass unchanged.
 */
final class DatabaseFailures {

    private DatabaseFailures() {}

    static RuntimeException translate(RuntimeException failure) {
        if (failure instanceof DatabaseUnavailableException
                || failure instanceof ConstraintViolationException
                || failure instanceof DatabaseException) {
            return failure;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DatabaseUnavailableException unavailable) {
                return unavailable;
            }
            if (cause instanceof SQLException sql) {
                return classify(sql, failure);
            }
        }
        return failure instanceof DbClientException ? new DatabaseException(failure.getMessage(), failure) : failure;
    }

    private static RuntimeException classify(SQLException sql, RuntimeException failure) {
        String state = sql.getSQLState() == null ? "" : sql.getSQLState();
        if (sql instanceof SQLTransientConnectionException
                || sql instanceof SQLNonTransientConnectionException
                || state.startsWith("08")
                || state.startsWith("53")
                || state.startsWith("57")) {
            return DatabaseUnavailableException.lost(failure);
        }
        if (state.startsWith("23")) {
            return new ConstraintViolationException(state, constraint(sql), failure);
        }
        return new DatabaseException("Database error " + state + ": " + sql.getMessage(), failure);
    }

    private static String constraint(SQLException sql) {
        ServerErrorMessage server = sql instanceof PSQLException psql ? psql.getServerErrorMessage() : null;
        return server == null ? null : server.getConstraint();
    }
}
