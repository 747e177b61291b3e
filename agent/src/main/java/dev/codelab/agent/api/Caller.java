package dev.codelab.agent.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import dev.codelab.shared.http.ApiException;
import dev.codelab.shared.http.ErrorBodies;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Who is calling: the gateway proves itself with {@code X-Internal-Auth} (checked in constant time by the
 * handler each of this service's {@code HttpService}s registers first, so co-hosted services are not affected)
 * and names the user in {@code X-User-Id}.
 */
final class Caller {

    static final HeaderName USER_ID = HeaderNames.create("X-User-Id");
    private static final HeaderName INTERNAL_AUTH = HeaderNames.create("X-Internal-Auth");

    private Caller() {
    }

    /** A handler for {@code rules.any(...)}: passes on with the right key, answers 401 otherwise. */
    static Handler internalAuth(String key) {
        return guarded(key, (req, res) -> res.next());
    }

    /** {@code handler}, reached only with the right internal key. */
    static Handler guarded(String key, Handler handler) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("The internal API key must not be empty");
        }
        byte[] expected = key.getBytes(StandardCharsets.UTF_8);
        return (req, res) -> {
            byte[] presented = req.headers().value(INTERNAL_AUTH).orElse("").getBytes(StandardCharsets.UTF_8);
            if (MessageDigest.isEqual(expected, presented)) {
                handler.handle(req, res);
            } else {
                ErrorBodies.send(res, Status.UNAUTHORIZED_401, "unauthorized", "Missing or invalid internal API key");
            }
        };
    }

    static String userId(ServerRequest req) {
        return req.headers().value(USER_ID).filter(id -> !id.isBlank())
                .orElseThrow(() -> new ApiException(Status.BAD_REQUEST_400, "missing_field",
                        "The X-User-Id header is required"));
    }
}
