package dev.codelab.agent.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.agent.store.Approvals;
import dev.codelab.agent.store.MessageStore;
import dev.codelab.agent.store.SessionStore;
import dev.codelab.agent.store.SessionStore.Session;
import dev.codelab.agent.store.Switches;
import dev.codelab.shared.db.Database;
import dev.codelab.shared.db.Sql;
import dev.codelab.shared.http.ApiException;
import dev.codelab.shared.http.Json;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * The session endpoints behind gateway.md. A call with {@code X-User-Id} is scoped to that user: another user's
 * session answers 404 exactly like a missing one. A trusted service (no {@code X-User-Id}) reaches every session.
 */
final class SessionService implements HttpService {

    private final Database database;

    SessionService(Database database) {
        this.database = database;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::create)
                .get("/", this::list)
                .get("/{id}", (req, res) -> owned(req, res, (c, s) -> Views.session(s)))
                .patch("/{id}", this::rename)
                .delete("/{id}", this::delete)
                .get("/{id}/history", this::history)
                .get("/{id}/pending-approvals", (req, res) -> owned(req, res, this::pendingApprovals))
                .get("/{id}/agent", (req, res) -> owned(req, res, this::agent));
    }

    private void create(ServerRequest req, ServerResponse res) {
        SessionAccess caller = SessionAccess.of(req);
        JsonNode body = Requests.jsonObject(req, true);
        String id = Requests.optionalText(body, "session_id", 128)
                .orElseGet(() -> UUID.randomUUID().toString());
        SessionIds.check(id);
        Optional<String> title = Requests.optionalText(body, "title", 500);
        Optional<String> systemPrompt = Requests.optionalText(body, "system_prompt", 100_000);
        Sql sql = database.sql();
        if (!SessionStore.create(
                sql, id, caller.userId().orElse(null), title.orElse(null), systemPrompt.orElse(null))) {
            throw new ApiException(Status.CONFLICT_409, "session_exists", "Session " + id + " already exists");
        }
        Json.send(
                res,
                Status.CREATED_201,
                Views.created(SessionStore.find(sql, id).orElseThrow()));
    }

    private void list(ServerRequest req, ServerResponse res) {
        String userId =
                listedUser(SessionAccess.of(req), req.query().first("user_id").asOptional());
        int limit = Requests.intParam(req, "limit", 50, 1, 1000);
        int offset = Requests.intParam(req, "offset", 0, 0, Integer.MAX_VALUE);
        Sql sql = database.sql();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(
                "sessions",
                SessionStore.listForUser(sql, userId, limit, offset).stream()
                        .map(Views::session)
                        .toList());
        body.put("total", SessionStore.countForUser(sql, userId));
        body.put("limit", limit);
        body.put("offset", offset);
        Json.send(res, Status.OK_200, body);
    }

    /** Whose sessions to list: the caller's user, or for a trusted service the {@code user_id} it names. */
    private static String listedUser(SessionAccess caller, Optional<String> asked) {
        if (caller.userId().isEmpty()) {
            return asked.filter(u -> !u.isBlank())
                    .orElseThrow(() -> new ApiException(
                            Status.BAD_REQUEST_400,
                            "missing_field",
                            "user_id is required when the caller sends no X-User-Id"));
        }
        if (asked.isPresent() && !asked.get().equals(caller.userId().get())) {
            throw new ApiException(Status.BAD_REQUEST_400, "invalid_field", "user_id must match X-User-Id");
        }
        return caller.userId().get();
    }

    private void rename(ServerRequest req, ServerResponse res) {
        JsonNode body = Requests.jsonObject(req, false);
        String title = Requests.optionalText(body, "title", 500)
                .filter(t -> !t.isBlank())
                .orElseThrow(() -> new ApiException(Status.BAD_REQUEST_400, "missing_field", "title is required"));
        owned(req, res, (c, s) -> {
            SessionStore.updateTitle(c, s.id(), title);
            return Views.session(SessionStore.find(c, s.id()).orElseThrow());
        });
    }

    private void delete(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        Sql sql = database.sql();
        SessionAccess.of(req).require(sql, id);
        SessionStore.delete(sql, id);
        res.status(Status.NO_CONTENT_204).send();
    }

    private void history(ServerRequest req, ServerResponse res) {
        int limit = Requests.intParam(req, "limit", 100, 1, 1000);
        Optional<UUID> before = req.query()
                .first("before")
                .asOptional()
                .filter(b -> !b.isBlank())
                .map(b -> {
                    try {
                        return UUID.fromString(b);
                    } catch (IllegalArgumentException e) {
                        throw new ApiException(Status.BAD_REQUEST_400, "invalid_field", "before must be a message id");
                    }
                });
        owned(req, res, (c, s) -> {
            if (before.isPresent() && !MessageStore.exists(c, s.id(), before.get())) {
                throw new ApiException(
                        Status.BAD_REQUEST_400, "invalid_field", "before names no message of this session");
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("session_id", s.id());
            body.put("message_count", s.messageCount());
            body.put(
                    "messages",
                    MessageStore.page(c, s.id(), limit, before.orElse(null)).stream()
                            .map(Views::message)
                            .toList());
            return body;
        });
    }

    private Map<String, Object> pendingApprovals(Sql c, Session s) {
        List<Map<String, Object>> pending =
                Approvals.listPending(c, s.id()).stream().map(Views::approval).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("session_id", s.id());
        body.put("pending_approvals", pending);
        body.put("count", pending.size());
        return body;
    }

    private Map<String, Object> agent(Sql c, Session s) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("session_id", s.id());
        body.put("current_agent", s.currentAgent().id());
        body.put("switch_count", s.switchCount());
        body.put(
                "switch_history",
                Switches.history(c, s.id()).stream().map(Views::agentSwitch).toList());
        return body;
    }

    /** Answers 200 with what {@code view} makes of the session {@code {id}} if the caller may use it, or 404. */
    private void owned(ServerRequest req, ServerResponse res, BiFunction<Sql, Session, Object> view) {
        String id = req.path().pathParameters().get("id");
        Sql sql = database.sql();
        Session session = SessionAccess.of(req).require(sql, id);
        Json.send(res, Status.OK_200, view.apply(sql, session));
    }
}
