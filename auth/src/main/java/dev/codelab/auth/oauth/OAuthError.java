package dev.codelab.auth.oauth;

import dev.codelab.shared.http.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An OAuth endpoint's refusal, answered with an RFC 6749 body {@code {"error","error_description"}} (plus
 * {@code retry_after} and {@code Retry-After} on 429, {@code WWW-Authenticate} when Basic authentication
 * failed). The description is written for the client and never contains a credential.
 */
public final class OAuthError extends RuntimeException {

    private final Status status;
    private final String error;
    private final long retryAfterSeconds;
    private final boolean basicChallenge;

    private OAuthError(
            Status status, String error, String description, long retryAfterSeconds, boolean basicChallenge) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
        this.retryAfterSeconds = retryAfterSeconds;
        this.basicChallenge = basicChallenge;
    }

    public static OAuthError invalidRequest(String description) {
        return new OAuthError(Status.BAD_REQUEST_400, "invalid_request", description, 0, false);
    }

    public static OAuthError invalidClient(boolean basicUsed) {
        return new OAuthError(Status.UNAUTHORIZED_401, "invalid_client", "Client authentication failed", 0, basicUsed);
    }

    public static OAuthError invalidGrant(String description) {
        return new OAuthError(Status.UNAUTHORIZED_401, "invalid_grant", description, 0, false);
    }

    public static OAuthError unauthorizedClient(String grantType) {
        return new OAuthError(
                Status.BAD_REQUEST_400,
                "unauthorized_client",
                "The client is not allowed to use grant type '" + grantType + "'",
                0,
                false);
    }

    public static OAuthError unsupportedGrantType(String grantType) {
        return new OAuthError(
                Status.BAD_REQUEST_400,
                "unsupported_grant_type",
                "Grant type '" + grantType + "' is not supported",
                0,
                false);
    }

    public static OAuthError invalidScope(String description) {
        return new OAuthError(Status.BAD_REQUEST_400, "invalid_scope", description, 0, false);
    }

    /** A locked username or IP after too many failed passwords. */
    public static OAuthError tooManyFailedAttempts(long retryAfterSeconds) {
        return new OAuthError(
                Status.TOO_MANY_REQUESTS_429,
                "invalid_grant",
                "Too many failed attempts. Try again in " + retryAfterSeconds + " seconds.",
                retryAfterSeconds,
                false);
    }

    public static OAuthError rateLimited(long retryAfterSeconds) {
        return new OAuthError(
                Status.TOO_MANY_REQUESTS_429,
                "rate_limit_exceeded",
                "Too many requests. Please try again later.",
                retryAfterSeconds,
                false);
    }

    public static OAuthError temporarilyUnavailable(String description) {
        return new OAuthError(Status.SERVICE_UNAVAILABLE_503, "temporarily_unavailable", description, 0, false);
    }

    public static OAuthError serverError() {
        return new OAuthError(Status.INTERNAL_SERVER_ERROR_500, "server_error", "An internal error occurred", 0, false);
    }

    public String error() {
        return error;
    }

    public Status status() {
        return status;
    }

    public void send(ServerResponse res) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", getMessage());
        if (status == Status.TOO_MANY_REQUESTS_429) {
            body.put("retry_after", retryAfterSeconds);
            res.header(HeaderNames.RETRY_AFTER, String.valueOf(retryAfterSeconds));
        }
        if (basicChallenge) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Basic realm=\"codelab\"");
        }
        Json.send(res, status, body);
    }
}
