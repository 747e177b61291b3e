package dev.codelab.shared.db;

import dev.codelab.shared.http.ApiException;
import io.helidon.http.Status;

/**
 * The database cannot be reached or is overloaded (no pool connection within the timeout, a lost connection, the
 * server shutting down or out of connections); answered as 503 with the documented error body.
 */
public final class DatabaseUnavailableException extends ApiException {

    private final boolean beforeConnection;

    private DatabaseUnavailableException(Throwable cause, boolean beforeConnection) {
        super(Status.SERVICE_UNAVAILABLE_503, "service_unavailable", "Database unavailable");
        this.beforeConnection = beforeConnection;
        initCause(cause);
    }

    /** The pool gave no connection: nothing was sent to the database. */
    static DatabaseUnavailableException noConnection(Throwable cause) {
        return new DatabaseUnavailableException(cause, true);
    }

    /** A statement or commit failed because the connection or the server went away. */
    static DatabaseUnavailableException lost(Throwable cause) {
        return new DatabaseUnavailableException(cause, false);
    }

    boolean beforeConnection() {
        return beforeConnection;
    }
}
