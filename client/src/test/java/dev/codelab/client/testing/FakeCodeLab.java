package dev.codelab.client.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.websocket.WsRouting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for a CodeLab deployment on a free port: the OAuth token endpoint, the gateway REST routes with the
 * documented shapes, and the session WebSocket of docs/protocol.md (seq stamping, {@code ?last_seq=N}
 * replay, 401 before the upgrade). What the "agent" answers is up to the test: {@link #onClientFrame(Script)}.
 * Every token request, API request and client frame is recorded for assertions.
 */
public final class FakeCodeLab implements AutoCloseable {

    public static final String USERNAME = "demo";
    public static final String PASSWORD = "s3cret-pass";

    public static final ObjectMapper JSON_MAPPER = new ObjectMapper();
    private static final ObjectMapper JSON = JSON_MAPPER;

    /** What the fake agent does with a client frame; emits server frames through the session. */
    @FunctionalInterface
    public interface Script {
        void onFrame(JsonNode frame, FakeSession session);
    }

    /** One recorded API request. */
    public record ApiRequest(String method, String path, String query, String body) {}

    private final Set<String> validAccess = ConcurrentHashMap.newKeySet();
    private final Set<String> foreignSessions = ConcurrentHashMap.newKeySet();
    private final Set<String> validRefresh = ConcurrentHashMap.newKeySet();
    private final AtomicInteger tokenCounter = new AtomicInteger();
    private final List<Map<String, String>> tokenRequests = new CopyOnWriteArrayList<>();
    private final List<ApiRequest> apiRequests = new CopyOnWriteArrayList<>();
    private final Map<String, ObjectNode> sessions = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, FakeSession> sockets = new ConcurrentHashMap<>();
    private final AtomicInteger sessionCounter = new AtomicInteger();
    private final WebServer server;
    private volatile long expiresIn = 900;
    private volatile Script script = (frame, session) -> {};
    private volatile int replayOverlap;

    private FakeCodeLab() {
        WsRouting.Builder ws = WsRouting.builder().endpoint("/api/v1/ws/*", () -> new FakeSocket(this));
        server = WebServer.builder()
                .port(0)
                .routing(this::routing)
                .addRouting(ws)
                .build()
                .start();
    }

    public static FakeCodeLab start() {
        return new FakeCodeLab();
    }

    public String url() {
        return "http://localhost:" + server.port();
    }

    /** The agent's behaviour for every client frame from now on. */
    public FakeCodeLab onClientFrame(Script script) {
        this.script = script;
        return this;
    }

    /** {@code expires_in} of the next issued tokens. */
    public FakeCodeLab expiresIn(long seconds) {
        this.expiresIn = seconds;
        return this;
    }

    /** Replay this many frames the client already has (a sloppy server), to prove the client drops duplicates. */
    public FakeCodeLab replayOverlap(int frames) {
        this.replayOverlap = frames;
        return this;
    }

    /** Makes every issued access token invalid, as if they had expired on the server's clock. */
    public void expireAccessTokens() {
        validAccess.clear();
    }

    public List<Map<String, String>> tokenRequests() {
        return List.copyOf(tokenRequests);
    }

    public List<ApiRequest> apiRequests() {
        return List.copyOf(apiRequests);
    }

    /** The session's socket state (created on the first upgrade or the first REST create). */
    public FakeSession session(String sessionId) {
        return sockets.computeIfAbsent(sessionId, id -> new FakeSession(id, this));
    }

    /** A session of another user: its upgrade answers 404. */
    public FakeCodeLab foreignSession(String sessionId) {
        foreignSessions.add(sessionId);
        return this;
    }

    /** Adds a session as if it had been created earlier. */
    public ObjectNode addSession(String sessionId, String title) {
        ObjectNode session = JSON.createObjectNode()
                .put("session_id", sessionId)
                .put("id", sessionId)
                .put("title", title)
                .put("created_at", "2026-11-28T10:00:00Z")
                .put("last_activity", "2026-11-28T10:05:00Z")
                .put("current_agent", "orchestrator")
                .put("message_count", 0);
        sessions.put(sessionId, session);
        return session;
    }

    Script script() {
        return script;
    }

    int replayOverlap() {
        return replayOverlap;
    }

    boolean authorized(Optional<String> authorization) {
        return authorization
                .filter(h -> h.startsWith("Bearer "))
                .map(h -> validAccess.contains(h.substring(7)))
                .orElse(false);
    }

    @Override
    public void close() {
        server.stop();
    }

    private void routing(HttpRouting.Builder routing) {
        routing.addFilter((chain, req, res) -> {
            String path = req.path().path();
            if (path.startsWith("/api/v1/") && !authorized(req.headers().first(HeaderNames.AUTHORIZATION))) {
                json(
                        res,
                        Status.UNAUTHORIZED_401,
                        JSON.createObjectNode()
                                .put("error", "invalid_token")
                                .put("message", "Token expired or invalid"));
                return;
            }
            if (path.startsWith("/api/v1/ws/") && foreignSessions.contains(path.substring("/api/v1/ws/".length()))) {
                json(
                        res,
                        Status.NOT_FOUND_404,
                        JSON.createObjectNode().put("error", "not_found").put("message", "Session not found"));
                return;
            }
            chain.proceed();
        });
        routing.post("/oauth/token", this::token)
                .post("/api/v1/sessions", this::createSession)
                .get("/api/v1/sessions", this::listSessions)
                .get("/api/v1/sessions/{id}/history", this::history)
                .get("/api/v1/sessions/{id}/pending-approvals", this::pendingApprovals)
                .get("/api/v1/sessions/{id}", this::getSession)
                .patch("/api/v1/sessions/{id}", this::renameSession)
                .delete("/api/v1/sessions/{id}", this::deleteSession)
                .get("/api/v1/agents", this::agents);
    }

    private void token(ServerRequest req, ServerResponse res) {
        Map<String, String> form = parseForm(req.content().as(String.class));
        tokenRequests.add(form);
        String grant = form.getOrDefault("grant_type", "");
        boolean ok = switch (grant) {
            case "password" -> USERNAME.equals(form.get("username")) && PASSWORD.equals(form.get("password"));
            case "refresh_token" -> validRefresh.remove(form.getOrDefault("refresh_token", ""));
            default -> false;
        };
        if (!ok) {
            json(
                    res,
                    Status.UNAUTHORIZED_401,
                    JSON.createObjectNode()
                            .put("error", "invalid_grant")
                            .put("error_description", "Invalid username or password"));
            return;
        }
        int n = tokenCounter.incrementAndGet();
        String access = "access-" + n;
        String refresh = "refresh-" + n;
        validAccess.add(access);
        validRefresh.add(refresh);
        json(
                res,
                Status.OK_200,
                JSON.createObjectNode()
                        .put("access_token", access)
                        .put("refresh_token", refresh)
                        .put("token_type", "bearer")
                        .put("expires_in", expiresIn)
                        .put("scope", "api:read api:write"));
    }

    private void createSession(ServerRequest req, ServerResponse res) {
        String body = record(req);
        JsonNode request = body.isBlank() ? JSON.createObjectNode() : read(body);
        String id = "s-" + sessionCounter.incrementAndGet();
        ObjectNode session = addSession(id, request.path("title").asText(null));
        json(
                res,
                Status.CREATED_201,
                JSON.createObjectNode()
                        .put("session_id", id)
                        .put("id", id)
                        .put("created_at", session.get("created_at").asText())
                        .put("current_agent", "orchestrator")
                        .put("message_count", 0));
    }

    private void listSessions(ServerRequest req, ServerResponse res) {
        record(req);
        int limit = Integer.parseInt(req.query().first("limit").orElse("20"));
        int offset = Integer.parseInt(req.query().first("offset").orElse("0"));
        ObjectNode page = JSON.createObjectNode();
        ArrayNode list = page.putArray("sessions");
        synchronized (sessions) {
            sessions.values().stream().skip(offset).limit(limit).forEach(list::add);
            page.put("total", sessions.size());
        }
        json(res, Status.OK_200, page.put("limit", limit).put("offset", offset));
    }

    private void getSession(ServerRequest req, ServerResponse res) {
        record(req);
        existing(req, res).ifPresent(session -> json(res, Status.OK_200, session));
    }

    private void renameSession(ServerRequest req, ServerResponse res) {
        String body = record(req);
        existing(req, res)
                .ifPresent(session -> json(
                        res,
                        Status.OK_200,
                        session.put("title", read(body).path("title").asText())));
    }

    private void deleteSession(ServerRequest req, ServerResponse res) {
        record(req);
        existing(req, res).ifPresent(session -> {
            sessions.remove(session.get("session_id").asText());
            res.status(Status.NO_CONTENT_204).send();
        });
    }

    private void history(ServerRequest req, ServerResponse res) {
        record(req);
        existing(req, res).ifPresent(session -> {
            ObjectNode history = JSON.createObjectNode()
                    .put("session_id", session.get("session_id").asText())
                    .put("message_count", 2);
            ArrayNode messages = history.putArray("messages");
            messages.addObject()
                    .put("id", 1)
                    .put("role", "user")
                    .put("content", "hello")
                    .put("timestamp", "2026-11-28T10:00:00Z");
            messages.addObject()
                    .put("id", 2)
                    .put("role", "assistant")
                    .put("content", "Hi there")
                    .put("timestamp", "2026-11-28T10:00:01Z")
                    .put("agent_name", "ask");
            json(res, Status.OK_200, history);
        });
    }

    /** The diff of the one pending approval ({@code write_file a.txt "x"} over an empty file). */
    public static final String PENDING_DIFF = "--- a/a.txt\n+++ b/a.txt\n@@ -0,0 +1 @@\n+x\n";

    private void pendingApprovals(ServerRequest req, ServerResponse res) {
        record(req);
        existing(req, res).ifPresent(session -> {
            ObjectNode answer = JSON.createObjectNode()
                    .put("session_id", session.get("session_id").asText());
            ObjectNode approval = answer.putArray("pending_approvals")
                    .addObject()
                    .put("call_id", "call_9")
                    .put("tool_name", "write_file");
            approval.putObject("arguments").put("path", "a.txt").put("content", "x");
            approval.put("reason", "File modification requires user approval")
                    .put("diff", PENDING_DIFF)
                    .put("created_at", "2026-11-28T10:00:02Z");
            json(res, Status.OK_200, answer.put("count", 1));
        });
    }

    private void agents(ServerRequest req, ServerResponse res) {
        record(req);
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode agents = answer.putArray("agents");
        for (String type : List.of("orchestrator", "coder", "architect", "debug", "ask")) {
            ObjectNode agent = agents.addObject()
                    .put("type", type)
                    .put("name", Character.toUpperCase(type.charAt(0)) + type.substring(1) + " Agent")
                    .put("emoji", "*")
                    .put("description", "The " + type);
            agent.putArray("allowed_tools").add("read_file");
        }
        json(res, Status.OK_200, answer);
    }

    private Optional<ObjectNode> existing(ServerRequest req, ServerResponse res) {
        ObjectNode session = sessions.get(req.path().pathParameters().get("id"));
        if (session == null) {
            json(
                    res,
                    Status.NOT_FOUND_404,
                    JSON.createObjectNode().put("error", "not_found").put("message", "Session not found"));
        }
        return Optional.ofNullable(session);
    }

    private String record(ServerRequest req) {
        String body = req.content().hasEntity() ? req.content().as(String.class) : "";
        apiRequests.add(new ApiRequest(
                req.prologue().method().text(), req.path().path(), req.query().rawValue(), body));
        return body;
    }

    static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void json(ServerResponse res, Status status, JsonNode body) {
        res.status(status).header(HeaderNames.CONTENT_TYPE, "application/json").send(body.toString());
    }

    private static Map<String, String> parseForm(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }
}
