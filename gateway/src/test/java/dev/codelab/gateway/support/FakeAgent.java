package dev.codelab.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.codelab.shared.http.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A fake agent runtime on a local port: the REST endpoints of agent.md answering the exact JSON shapes of
 * gateway.md (with ownership by {@code X-User-Id}), and {@code POST /agent/message/stream} played by a
 * per-test {@link StreamScript}. Records every request it gets. Can be stopped and started again on the same
 * port to play "agent down".
 */
public final class FakeAgent implements AutoCloseable {

    public static final String KEY = "test-internal-key";
    public static final List<String> AGENT_TYPES = List.of("orchestrator", "coder", "architect", "debug", "ask");

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private static final StreamScript JUST_DONE =
            (request, out) -> out.raw("data: {\"type\":\"done\",\"reason\":\"completed\"}\n\n");
    private volatile StreamScript script = JUST_DONE;
    private volatile int forcedStatus;
    private volatile Map<String, ?> forcedBody = Map.of("oops", "upstream trouble");
    private volatile long delayMillis;
    private volatile boolean databaseUp = true;
    private int port;
    private HttpServer server;

    public FakeAgent() throws IOException {
        start();
    }

    public synchronized void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
        port = server.getAddress().getPort();
    }

    public synchronized void stop() {
        server.stop(0);
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public void script(StreamScript script) {
        this.script = script;
    }

    /** Back to normal: streams answer a bare {@code done completed}, REST answers normally and at once. */
    public void reset() {
        script = JUST_DONE;
        forcedStatus = 0;
        forcedBody = Map.of("oops", "upstream trouble");
        delayMillis = 0;
        databaseUp = true;
    }

    /** Every REST answer gets this status (0 = behave normally). */
    public void forceStatus(int status) {
        forceStatus(status, Map.of("oops", "upstream trouble"));
    }

    /** Every REST answer gets this status and body. */
    public void forceStatus(int status, Map<String, ?> body) {
        this.forcedBody = body;
        this.forcedStatus = status;
    }

    /** What {@code GET /ready} reports about the agent's database. */
    public void databaseUp(boolean up) {
        this.databaseUp = up;
    }

    public void delay(long millis) {
        this.delayMillis = millis;
    }

    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    public List<Recorded> requests(String method, String path) {
        return requests.stream()
                .filter(r -> r.method().equals(method) && r.path().equals(path))
                .toList();
    }

    /** Creates a session owned by {@code owner} directly, as if made earlier. */
    public Session addSession(String id, String owner, String title) {
        Session session = new Session(id, owner, title, Instant.now().toString());
        sessions.put(id, session);
        return session;
    }

    public boolean hasSession(String id) {
        return sessions.containsKey(id);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.getFirst()));
            requests.add(new Recorded(method, path, exchange.getRequestURI().getRawQuery(), headers, body));
            if (path.equals("/health")) {
                json(exchange, 200, Map.of("status", "healthy"));
                return;
            }
            if (!KEY.equals(headers.get("x-internal-auth"))) {
                json(exchange, 401, Map.of("error", "unauthorized", "message", "Missing or invalid internal API key"));
                return;
            }
            if (path.equals("/ready")) {
                json(
                        exchange,
                        databaseUp ? 200 : 503,
                        Map.of(
                                "status",
                                databaseUp ? "ready" : "not_ready",
                                "checks",
                                Map.of("database", databaseUp ? "up" : "down")));
                return;
            }
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            if (forcedStatus != 0) {
                json(exchange, forcedStatus, forcedBody);
                return;
            }
            String user = headers.get("x-user-id");
            if (method.equals("POST") && path.equals("/agent/message/stream")) {
                stream(exchange, Json.read(body));
            } else {
                rest(exchange, method, path, body, user);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stream(HttpExchange exchange, JsonNode request) throws IOException {
        String sessionId = request.path("session_id").asText();
        Session session = sessions.get(sessionId);
        if (session == null
                || !session.owner.equals(exchange.getRequestHeaders().getFirst("X-User-Id"))) {
            json(exchange, 404, Map.of("error", "not_found", "message", "Session not found"));
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        script.play(request, new SseOut(exchange.getResponseBody()));
    }

    private void rest(HttpExchange exchange, String method, String path, String body, String user) throws IOException {
        String[] parts = path.split("/");
        if (method.equals("GET") && path.equals("/agents")) {
            json(
                    exchange,
                    200,
                    Map.of("agents", AGENT_TYPES.stream().map(FakeAgent::agent).toList()));
            return;
        }
        if (method.equals("GET") && path.equals("/usage")) {
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            json(exchange, 200, Map.of("user_id", user != null ? user : query.getOrDefault("user_id", "?")));
            return;
        }
        if (path.startsWith("/budgets/")) {
            json(exchange, 200, Map.of("budget_of", path.substring("/budgets/".length())));
            return;
        }
        if (method.equals("POST") && path.equals("/sessions")) {
            JsonNode request = body.isBlank() ? Json.MAPPER.createObjectNode() : Json.read(body);
            String id = request.path("session_id")
                    .asText(java.util.UUID.randomUUID().toString());
            if (sessions.containsKey(id)) {
                json(exchange, 409, Map.of("error", "conflict", "message", "Session id already in use"));
                return;
            }
            Session session = addSession(id, user, request.path("title").asText(null));
            Map<String, Object> created = new LinkedHashMap<>();
            created.put("session_id", id);
            created.put("id", id);
            created.put("created_at", session.createdAt);
            created.put("current_agent", "orchestrator");
            created.put("message_count", 0);
            json(exchange, 201, created);
            return;
        }
        if (method.equals("GET") && path.equals("/sessions")) {
            List<Map<String, Object>> own = new ArrayList<>();
            sessions.values().stream()
                    .filter(s -> s.owner.equals(user))
                    .sorted(Comparator.comparing((Session s) -> s.createdAt).reversed())
                    .forEach(s -> own.add(s.json()));
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            Map<String, Object> list = new LinkedHashMap<>();
            list.put("sessions", own);
            list.put("total", own.size());
            list.put("limit", Integer.parseInt(query.getOrDefault("limit", "100")));
            list.put("offset", Integer.parseInt(query.getOrDefault("offset", "0")));
            json(exchange, 200, list);
            return;
        }
        if (parts.length >= 3 && parts[1].equals("sessions")) {
            Session session = sessions.get(parts[2]);
            if (session == null || !session.owner.equals(user)) {
                json(exchange, 404, Map.of("error", "not_found", "message", "Session not found"));
                return;
            }
            String tail = parts.length > 3 ? parts[3] : "";
            switch (method + " " + tail) {
                case "GET " -> json(exchange, 200, session.json());
                case "PATCH " -> {
                    session.title = Json.read(body).path("title").asText();
                    json(exchange, 200, session.json());
                }
                case "DELETE " -> {
                    sessions.remove(session.id);
                    exchange.sendResponseHeaders(204, -1);
                }
                case "GET history" -> json(exchange, 200, history(session));
                case "GET pending-approvals" -> json(exchange, 200, pending(session));
                case "GET agent" -> json(exchange, 200, agentState(session));
                default -> json(exchange, 404, Map.of("error", "not_found", "message", "No such endpoint"));
            }
            return;
        }
        json(exchange, 404, Map.of("error", "not_found", "message", "No such endpoint"));
    }

    static Map<String, Object> agent(String type) {
        Map<String, Object> agent = new LinkedHashMap<>();
        agent.put("type", type);
        agent.put("name", Character.toUpperCase(type.charAt(0)) + type.substring(1) + " Agent");
        agent.put("emoji", "*");
        agent.put("description", "The " + type + " agent");
        agent.put("allowed_tools", List.of("read_file"));
        return agent;
    }

    private static Map<String, Object> history(Session session) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", "m1");
        message.put("role", "user");
        message.put("content", "hello");
        message.put("timestamp", session.createdAt);
        Map<String, Object> history = new LinkedHashMap<>();
        history.put("session_id", session.id);
        history.put("message_count", 1);
        history.put("messages", List.of(message));
        return history;
    }

    private static Map<String, Object> pending(Session session) {
        Map<String, Object> approval = new LinkedHashMap<>();
        approval.put("call_id", "call_1");
        approval.put("tool_name", "write_file");
        approval.put("arguments", Map.of("path", "a.txt", "content", "x"));
        approval.put("reason", "File modification requires user approval");
        approval.put("created_at", session.createdAt);
        Map<String, Object> pending = new LinkedHashMap<>();
        pending.put("session_id", session.id);
        pending.put("pending_approvals", List.of(approval));
        pending.put("count", 1);
        return pending;
    }

    private static Map<String, Object> agentState(Session session) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("session_id", session.id);
        state.put("current_agent", "orchestrator");
        state.put("switch_count", 0);
        state.put("switch_history", List.of());
        return state;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        stop();
    }

    /** One request the fake received; header names in lower case. */
    public record Recorded(String method, String path, String query, Map<String, String> headers, String body) {}

    /** A session of the fake. */
    public static final class Session {
        final String id;
        final String owner;
        final String createdAt;
        volatile String title;

        Session(String id, String owner, String title, String createdAt) {
            this.id = id;
            this.owner = owner;
            this.title = title;
            this.createdAt = createdAt;
        }

        Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("session_id", id);
            json.put("id", id);
            json.put("title", title);
            json.put("created_at", createdAt);
            json.put("last_activity", createdAt);
            json.put("current_agent", "orchestrator");
            json.put("message_count", 0);
            return json;
        }
    }

    /** What the fake streams for one {@code POST /agent/message/stream}. */
    @FunctionalInterface
    public interface StreamScript {
        void play(JsonNode request, SseOut out) throws IOException;
    }

    /** Writes SSE to the gateway, flushing each event. */
    public static final class SseOut {
        private final OutputStream out;

        SseOut(OutputStream out) {
            this.out = out;
        }

        public void event(Map<String, ?> event) throws IOException {
            raw("data: " + Json.write(event) + "\n\n");
        }

        public void keepAlive() throws IOException {
            raw(": keep-alive\n\n");
        }

        public void raw(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }
}
