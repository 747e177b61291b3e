package dev.codelab.cli;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code codelab check}: walks a running deployment through the seed's whole flow — token, JWKS, sessions,
 * agents, a WebSocket turn with a tool call and an approval, history, health routes, the REST rate limit —
 * and fails on the first answer that is not what the contract says. The end-to-end check of CI runs it
 * through nginx; operators can run it against their own deployment.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
         description = "Check a running CodeLab deployment end to end (exits non-zero on the first failure).")
final class CheckCommand implements Callable<Integer> {

    @Option(names = "--url", description = "Public base URL (default ${DEFAULT-VALUE}).")
    String url = "http://localhost:8080";

    @Option(names = "--username", required = true, description = "A user that may log in.")
    String username;

    @Option(names = "--password", required = true, description = "Its password.")
    String password;

    @Option(names = "--nginx", description = "Also check nginx's own routes (/nginx-health).")
    boolean nginx;

    @Option(names = "--rate-limit", description = "Finally send requests until the REST rate limit answers 429.")
    boolean rateLimit;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private int step;

    @Override
    public Integer call() throws Exception {
        try {
            run();
            System.out.println("check: all " + step + " steps passed against " + url);
            return 0;
        } catch (CheckFailed e) {
            System.err.println("check: FAILED at step " + step + ": " + e.getMessage());
            return 1;
        }
    }

    private void run() throws Exception {
        if (nginx) {
            expect("nginx health", get("/nginx-health", null), 200);
            expect("internal services are not routed", get("/v1/models", null), 404);
            expect("internal services are not routed", get("/agents", null), 404);
        }
        expect("auth health via the entry point", get("/auth-health", null), 200);
        expect("gateway health via the entry point", get("/gateway-health", null), 200);

        JsonNode token = json(expect("password grant", form("/oauth/token", Map.of(
                "grant_type", "password", "username", username, "password", password,
                "client_id", "codelab-flutter-app")), 200));
        String access = text(token, "access_token");
        String refresh = text(token, "refresh_token");
        require(json(expect("JWKS", get("/.well-known/jwks.json", null), 200)).path("keys").size() > 0, "JWKS has no keys");
        expect("unauthenticated REST is refused", get("/api/v1/agents", null), 401);

        JsonNode created = json(expect("create session", send("POST", "/api/v1/sessions", access, "{\"title\":\"check\"}"), 201));
        String sessionId = text(created, "session_id");
        require(sessionId.equals(text(created, "id")), "session id and id differ");
        expect("get session", get("/api/v1/sessions/" + sessionId, access), 200);
        JsonNode agents = json(expect("list agents", get("/api/v1/agents", access), 200));
        require(agents.path("agents").size() == 5, "expected 5 agents, got " + agents.path("agents").size());

        webSocketTurn(sessionId, access);

        JsonNode history = json(expect("history", get("/api/v1/sessions/" + sessionId + "/history", access), 200));
        require(history.path("messages").size() >= 3, "history holds " + history.path("messages").size() + " messages");
        JsonNode pending = json(expect("pending approvals", get("/api/v1/sessions/" + sessionId + "/pending-approvals", access), 200));
        require(pending.path("count").asInt(-1) == 0, "approvals still pending: " + pending);
        json(expect("refresh grant", form("/oauth/token", Map.of(
                "grant_type", "refresh_token", "refresh_token", refresh, "client_id", "codelab-flutter-app")), 200));
        expect("gateway API health", get("/api/v1/health", null), 200);

        if (rateLimit) {
            checkRateLimit(access);
        }
    }

    /** A user message that the fake model answers with a write_file call, approved, executed, completed. */
    private void webSocketTurn(String sessionId, String access) throws Exception {
        step++;
        Frames frames = new Frames();
        String wsUrl = url.replaceFirst("^http", "ws") + "/api/v1/ws/" + sessionId;
        WebSocket ws = http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + access)
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(wsUrl), frames)
                .get(10, TimeUnit.SECONDS);
        try {
            ws.sendText("{\"type\":\"user_message\",\"content\":\"create a file hello.txt with hi\"}", true).join();
            List<JsonNode> turn = frames.untilDone();
            JsonNode call = find(turn, "tool_call");
            require(call.path("tool_name").asText().equals("write_file"), "expected a write_file call, got " + call);
            require(call.path("requires_approval").asBoolean(), "write_file should need approval");
            require(last(turn).path("reason").asText().equals("awaiting_approval"), "turn ended " + last(turn));
            String callId = text(call, "call_id");

            ws.sendText("{\"type\":\"hitl_decision\",\"call_id\":\"" + callId + "\",\"decision\":\"approve\"}", true).join();
            List<JsonNode> approved = frames.untilDone();
            require(!find(approved, "tool_call").path("requires_approval").asBoolean(true), "approved call still needs approval");
            require(last(approved).path("reason").asText().equals("awaiting_tool"), "after approval: " + last(approved));

            ws.sendText("{\"type\":\"tool_result\",\"call_id\":\"" + callId + "\",\"result\":{\"success\":true}}", true).join();
            List<JsonNode> finished = frames.untilDone();
            require(last(finished).path("reason").asText().equals("completed"), "after the tool result: " + last(finished));
            require(!find(finished, "assistant_message").isMissingNode(), "no assistant text after the tool result");
            checkSeqIncreases(turn, approved, finished);
        } finally {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "check done");
        }
    }

    private void checkRateLimit(String access) throws Exception {
        step++;
        for (int i = 0; i < 300; i++) {
            HttpResponse<String> res = get("/api/v1/agents", access);
            if (res.statusCode() == 429) {
                require(res.headers().firstValue("Retry-After").isPresent(), "429 without Retry-After");
                require(text(Json.read(res.body()), "error").equals("rate_limit_exceeded"), "429 body: " + res.body());
                return;
            }
            require(res.statusCode() == 200, "while filling the rate limit: " + res.statusCode());
        }
        throw new CheckFailed("300 requests and no 429");
    }

    private static void checkSeqIncreases(List<JsonNode>... turns) {
        long last = 0;
        for (List<JsonNode> turn : turns) {
            for (JsonNode frame : turn) {
                long seq = frame.path("seq").asLong(-1);
                require(seq > last, "seq not increasing at " + frame);
                last = seq;
            }
        }
    }

    private HttpResponse<String> expect(String what, HttpResponse<String> res, int status) {
        step++;
        if (res.statusCode() != status) {
            throw new CheckFailed(what + ": expected " + status + ", got " + res.statusCode() + " " + res.body());
        }
        return res;
    }

    private HttpResponse<String> get(String path, String access) throws Exception {
        return send("GET", path, access, null);
    }

    private HttpResponse<String> send(String method, String path, String access, String body) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            req.header("Content-Type", "application/json");
        }
        if (access != null) {
            req.header("Authorization", "Bearer " + access);
        }
        return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> form(String path, Map<String, String> fields) throws Exception {
        StringBuilder body = new StringBuilder();
        fields.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return http.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> res) throws Exception {
        return Json.read(res.body());
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        require(value.isTextual() && !value.asText().isEmpty(), "missing \"" + field + "\" in " + node);
        return value.asText();
    }

    private static JsonNode find(List<JsonNode> frames, String type) {
        return frames.stream().filter(f -> type.equals(f.path("type").asText())).findFirst()
                .orElseThrow(() -> new CheckFailed("no " + type + " frame in " + frames));
    }

    private static JsonNode last(List<JsonNode> frames) {
        return frames.getLast();
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new CheckFailed(message);
        }
    }

    /** Collects server frames; {@link #untilDone()} returns one turn's frames, up to and including {@code done}. */
    private static final class Frames implements WebSocket.Listener {
        private final BlockingQueue<JsonNode> queue = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    queue.add(Json.read(partial.toString()));
                } catch (Exception e) {
                    queue.add(Json.MAPPER.createObjectNode().put("type", "unparseable").put("text", partial.toString()));
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        List<JsonNode> untilDone() throws InterruptedException {
            List<JsonNode> frames = new ArrayList<>();
            while (true) {
                JsonNode frame = queue.poll(60, TimeUnit.SECONDS);
                if (frame == null) {
                    throw new CheckFailed("no frame for 60 s; got so far " + frames);
                }
                frames.add(frame);
                if (frame.path("type").asText().equals("error")) {
                    throw new CheckFailed("error frame: " + frame);
                }
                if (frame.path("type").asText().equals("done")) {
                    return frames;
                }
            }
        }
    }

    private static final class CheckFailed extends RuntimeException {
        CheckFailed(String message) {
            super(message);
        }
    }
}
