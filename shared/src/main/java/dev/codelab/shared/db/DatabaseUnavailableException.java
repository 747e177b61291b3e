package dev.codelab.shared.db;

import java.sql.SQLException;

import dev.codelab.shared.http.ApiException;
import io.helidon.http.Status;

/**
 * No database connection could be had; answered as 503 with the documented error body.
 */
public final class DatabaseUnavailableException extends ApiException {

    public DatabaseUnavailableException(SQLException cause) {
        super(Status.SERVICE_UNAVAILABLE_503, "service_unavailable", "Database unavailable");
        initCause(cause);
    }
}
