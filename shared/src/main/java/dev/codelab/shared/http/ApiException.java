package dev.codelab.shared.http;

import io.helidon.http.Status;
import java.util.Map;

/**
 * A failure that becomes the documented REST error body {@code {"error","message","details"}}.
 */
public class ApiException extends RuntimeException {

    private final Status status;
    private final String code;
    private final Map<String, Object> details;

    public ApiException(Status status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public ApiException(Status status, String code, String message, Map<String, Object> details) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = details;
    }

    public Status status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }

    public static ApiException badRequest(String message) {
        return new ApiException(Status.BAD_REQUEST_400, "invalid_request", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(Status.NOT_FOUND_404, "not_found", message);
    }
}
