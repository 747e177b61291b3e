package dev.codelab.shared.db;

import dev.codelab.shared.http.ApiException;
import io.helidon.http.Status;

/**
 * A statement broke a constraint (SQLSTATE class 23). Unless the domain catches it and answers its own 4xx
 * (for example "that name is taken"), the caller gets 409 {@code conflict}.
 */
public final class ConstraintViolationException extends ApiException {

    private static final String UNIQUE_VIOLATION = "23505";
    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private final String sqlState;
    private final String constraint;

    ConstraintViolationException(String sqlState, String constraint, Throwable cause) {
        super(Status.CONFLICT_409, "conflict", "The request conflicts with stored data");
        this.sqlState = sqlState;
        this.constraint = constraint;
        initCause(cause);
    }

    public boolean isUniqueViolation() {
        return UNIQUE_VIOLATION.equals(sqlState);
    }

    public boolean isForeignKeyViolation() {
        return FOREIGN_KEY_VIOLATION.equals(sqlState);
    }

    /** The violated constraint's name as PostgreSQL reports it, or null. */
    public String constraint() {
        return constraint;
    }
}
