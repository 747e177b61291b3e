package dev.codelab.shared.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The error bodies of docs/protocol.md, "Errors and close codes", and the routing error handlers that produce them.
 */
public final class ErrorBodies {

    private static final System.Logger LOG = System.getLogger(ErrorBodies.class.getName());

    private ErrorBodies() {}

    /** Sends {@code {"error":code,"message":message,"details":{}}}. */
    public static void send(ServerResponse res, Status status, String code, String message) {
        send(res, status, code, message, Map.of());
    }

    public static void send(
            ServerResponse res, Status status, String code, String message, Map<String, Object> details) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        body.put("details", details);
        Json.send(res, status, body);
    }

    /** Sends a 429 with the body, {@code Retry-After} and {@code retry_after} of protocol.md. */
    public static void tooManyRequests(ServerResponse res, long retryAfterSeconds) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", "rate_limit_exceeded");
        body.put("message", "Too many requests");
        body.put("details", Map.of());
        body.put("retry_after", retryAfterSeconds);
        res.header(HeaderNames.RETRY_AFTER, String.valueOf(retryAfterSeconds));
        Json.send(res, Status.TOO_MANY_REQUESTS_429, body);
    }

    /** Sends an RFC 6749 body {@code {"error","error_description"}}. */
    public static void oauth(ServerResponse res, Status status, String error, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        Json.send(res, status, body);
    }

    /**
     * Registers handlers so that an {@link ApiException} becomes its body, a Helidon {@link HttpException}
     * keeps its status with a generic body, and anything else is a logged 500 without a stack trace on the wire.
     */
    public static void register(HttpRouting.Builder routing) {
        routing.error(ApiException.class, (req, res, e) -> send(res, e.status(), e.code(), e.getMessage(), e.details()))
                .error(
                        HttpException.class,
                        (req, res, e) -> send(
                                res, e.status(), codeOf(e.status()), e.status().reasonPhrase()))
                .error(Throwable.class, (req, res, e) -> {
                    LOG.log(
                            Level.ERROR,
                            "Unhandled error on " + req.prologue().method() + " "
                                    + req.path().path(),
                            e);
                    send(res, Status.INTERNAL_SERVER_ERROR_500, "internal_error", "Internal server error");
                });
    }

    private static String codeOf(Status status) {
        return switch (status.code()) {
            case 400 -> "invalid_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            default -> status.code() >= 500 ? "internal_error" : "http_" + status.code();
        };
    }
}
