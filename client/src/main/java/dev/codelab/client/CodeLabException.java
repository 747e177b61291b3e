package dev.codelab.client;

import java.util.Optional;

/**
 * A request to the CodeLab backend failed. Carries the HTTP status and the documented error body
 * ({@code {"error","message"}} from the API, {@code {"error","error_description"}} from the OAuth endpoints).
 * A status of {@code 0} means the server could not be reached at all.
 */
public class CodeLabException extends RuntimeException {

    private final int status;
    private final String error;
    private final Integer retryAfter;

    /**
     * @param status     HTTP status, or 0 when no answer arrived
     * @param error      the machine-readable error code of the body ({@code invalid_grant}, {@code not_found}, ...)
     * @param message    the human-readable message
     * @param retryAfter seconds to wait before retrying (429 only), or {@code null}
     */
    public CodeLabException(int status, String error, String message, Integer retryAfter) {
        super(message);
        this.status = status;
        this.error = error;
        this.retryAfter = retryAfter;
    }

    CodeLabException(String error, String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
        this.error = error;
        this.retryAfter = null;
    }

    /** The HTTP status; 0 when the server could not be reached. */
    public int status() {
        return status;
    }

    /** The error code of the answer body, e.g. {@code invalid_grant} or {@code rate_limit_exceeded}. */
    public String error() {
        return error;
    }

    /** Seconds the server asked to wait (rate limits). */
    public Optional<Integer> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
