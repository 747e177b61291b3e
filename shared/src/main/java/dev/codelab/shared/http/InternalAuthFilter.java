package dev.codelab.shared.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Lets a request through only with {@code X-Internal-Auth: <shared key>} (compared in constant time);
 * the open paths (health) need no key. Internal services register it first in their routing.
 */
public final class InternalAuthFilter implements Filter {

    public static final HeaderName HEADER = HeaderNames.create("X-Internal-Auth");

    private final byte[] key;
    private final Set<String> openPaths;
    private final Rejection rejection;

    public InternalAuthFilter(String key, Set<String> openPaths) {
        this(
                key,
                openPaths,
                res -> ErrorBodies.send(
                        res, Status.UNAUTHORIZED_401, "unauthorized", "Missing or invalid internal API key"));
    }

    /** A filter that answers a rejected request with {@code rejection} (for APIs with their own error shape). */
    public InternalAuthFilter(String key, Set<String> openPaths, Rejection rejection) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("The internal API key must not be empty");
        }
        this.key = key.getBytes(StandardCharsets.UTF_8);
        this.openPaths = Set.copyOf(openPaths);
        this.rejection = rejection;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (openPaths.contains(req.path().path())
                || matches(req.headers().value(HEADER).orElse(""))) {
            chain.proceed();
            return;
        }
        rejection.reject(res);
    }

    boolean matches(String presented) {
        return MessageDigest.isEqual(key, presented.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends the 401 answer for a request without a valid key. */
    @FunctionalInterface
    public interface Rejection {
        void reject(RoutingResponse res);
    }
}
