package dev.codelab.agent.api;

import dev.codelab.agent.store.SessionStore;
import dev.codelab.agent.store.SessionStore.Session;
import dev.codelab.shared.db.Sql;
import dev.codelab.shared.http.ApiException;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import java.util.Optional;

/**
 * Who is calling, and so which sessions the request may use. Every caller has proven itself with
 * {@code X-Internal-Auth} (checked for the whole server by the routing's {@code InternalAuthFilter}). A caller that
 * names a user in {@code X-User-Id} (the gateway always does) acts for that user and sees only that user's sessions;
 * a caller without it is a trusted service (the key already grants everything) and sees every session.
 *
 * @param userId the user acted for; empty for a trusted service
 */
record SessionAccess(Optional<String> userId) {

    static final HeaderName USER_ID = HeaderNames.create("X-User-Id");

    /** The caller of {@code req}: a blank {@code X-User-Id} is refused rather than taken for a trusted service. */
    static SessionAccess of(ServerRequest req) {
        Optional<String> header = req.headers().value(USER_ID);
        if (header.isPresent() && header.get().isBlank()) {
            throw new ApiException(Status.BAD_REQUEST_400, "invalid_field", "The X-User-Id header must not be blank");
        }
        return new SessionAccess(header);
    }

    /** The session {@code id} if it exists and this caller may use it. */
    Optional<Session> find(Sql sql, String id) {
        return SessionStore.find(sql, id).filter(this::mayUse);
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
        Optional<Session> existing = SessionStore.find(sql, id);
        if (existing.isEmpty()) {
            SessionIds.check(id);
            SessionStore.create(sql, id, userId.orElse(null), null, null);
            existing = SessionStore.find(sql, id);
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
}
