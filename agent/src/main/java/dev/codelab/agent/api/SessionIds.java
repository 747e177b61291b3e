package dev.codelab.agent.api;

import dev.codelab.shared.http.ApiException;
import io.helidon.http.Status;
import java.util.regex.Pattern;

/** The session ids a caller may choose (the same rule as the gateway's WebSocket path). */
final class SessionIds {

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private SessionIds() {}

    /** 400 {@code invalid_field} unless {@code id} is allowed. */
    static void check(String id) {
        if (!ALLOWED.matcher(id).matches()) {
            throw new ApiException(
                    Status.BAD_REQUEST_400,
                    "invalid_field",
                    "session_id may only contain letters, digits, '.', '_' and '-' (1-128 characters)");
        }
    }
}
