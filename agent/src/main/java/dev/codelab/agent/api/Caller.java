package dev.codelab.agent.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import dev.codelab.agent.store.Sessions;
import dev.codelab.agent.store.Sessions.Session;
import dev.codelab.shared.db.Sql;
import dev.codelab.shared.http.ApiException;
import dev.codelab.shared.http.ErrorBodies;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Who is calling. Every caller proves itself with {@code X-Internal-Auth} (checked in constant time by the handler
 * each of this service's {@code HttpService}s registers first, so co-hosted services are not affected). A caller
 * that names a user in {@code X-User-Id} (the gateway always does) acts for that user and sees only that user's
 * sessions; a caller without it is a trusted service (the key already grants everything) and sees every session.
 *
 * @param userId the user acted for; empty for a trusted service
 */
record Caller(Optional<String> userId) {

    static final HeaderName USER_ID = HeaderNames.create("X-User-Id");
    private static final HeaderName INTERNAL_AUTH = HeaderNames.create("X-Internal-Auth");

    /** The caller of {@code req}: a blank {@code X-User-Id} is refused rather than taken for a trusted service. */
    static Caller of(ServerRequest req) {
        Optional<String> header = req.headers().value(USER_ID);
        if (header.isPresent() && header.get().isBlank()) {
            throw new ApiException(Status.BAD_REQUEST_400, "invalid_field", "The X-User-Id header must not be blank");
        }
        return new Caller(header);
    }

    /** The session {@code id} if it exists and this caller may use it. */
    Optional<Session> find(Sql sql, String id) {
        return Sessions.find(sql, id).filter(this::mayUse);
    }

    /** Like {@link #find}, but a missing (or not visible) session is a 404. */
    Session require(Sql sql, String id) {
        return find(sql, id).orElseThrow(() -> notFound(id));
    }

    /**
     * The session {@code id}, created for this caller if it does not exist yet (ids the IDE picks, such as the seed's
     * {@code session-123}); 404 when it exists but is not this caller's.
     */
    Session findOrCreate(Sql sql, String id) {
        Optional<Session> existing = Sessions.find(sql, id);
        if (existing.isEmpty()) {
            SessionIds.check(id);
            Sessions.create(sql, id, userId.orElse(null), null, null);
            existing = Sessions.find(sql, id);
        }
        return existing.filter(this::mayUse).orElseThrow(() -> notFound(id));
    }

    /** A user sees only their own sessions; a trusted service sees every session. */
    boolean mayUse(Session session) {
        return userId.isEmpty() || userId.get().equals(session.userId());
    }

    static ApiException notFound(String id) {
        return new ApiException(Status.NOT_FOUND_404, "not_found", "Session " + id + " not found");
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
}
