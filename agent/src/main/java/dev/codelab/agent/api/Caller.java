package dev.codelab.agent.api;

import dev.codelab.shared.http.ApiException;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;

/**
 * Who is calling: the gateway, proven by {@code X-Internal-Auth} (checked for the whole server by the routing's
 * {@code InternalAuthFilter}), names the user in {@code X-User-Id}.
 */
final class Caller {

    static final HeaderName USER_ID = HeaderNames.create("X-User-Id");

    private Caller() {
    }

    static String userId(ServerRequest req) {
        return req.headers().value(USER_ID).filter(id -> !id.isBlank())
                .orElseThrow(() -> new ApiException(Status.BAD_REQUEST_400, "missing_field",
                        "The X-User-Id header is required"));
    }
}
