package dev.codelab.systemtests.seed;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.isIn;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.devstack.DevStack;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.sse.SseEventReader;
import dev.codelab.shared.testing.WsClient;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every example of the user's API overview ({@code shared/seed/api-overview.ru.md}) against {@code codelab up}'s
 * stack, in the document's order: the curls as written (only the host names, the token and the internal key
 * substituted, see {@link SeedCurl}), the JavaScript WebSocket, and the Python and Dart clients translated line by
 * line to the JDK's HTTP client. Each answer is checked against the shape the seed shows; where the contract
 * deliberately differs (docs/protocol.md, "The seed's examples"), the contract's shape is asserted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeedExamplesTest {

    /** The seed's user, created in the stack as an operator would (`codelab user add`). */
    private static final String SEED_USER = "user@example.com";

    private static final String SEED_PASSWORD = "SecurePass123!";
    private static final String INTERNAL_KEY = "seed-examples-internal-key";
    private static final Set<String> SEED_EVENT_TYPES =
            Set.of("agent_switched", "assistant_message", "tool_call", "done");

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static DevStack stack;
    private static String accessToken;

    @BeforeAll
    static void start() throws Exception {
        stack = DevStack.start(
                Files.createTempDirectory("codelab-seed"),
                DevStack.Ports.ephemeral(),
                true,
                Map.of("CODELAB_INTERNAL_API_KEY", INTERNAL_KEY));
        stack.ensureUser("user", SEED_USER, SEED_PASSWORD);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static String publicUrl() {
        return "http://127.0.0.1:" + stack.ports().publicPort();
    }

    private static SeedCurl curl() {
        Map<String, String> substitutions = new LinkedHashMap<>();
        substitutions.put("http://localhost", publicUrl());
        substitutions.put(
                "http://agent-runtime:8001", "http://127.0.0.1:" + stack.ports().agent());
        substitutions.put(
                "http://llm-proxy:8002", "http://127.0.0.1:" + stack.ports().llmproxy());
        substitutions.put("YOUR_ACCESS_TOKEN", accessToken == null ? "" : accessToken);
        substitutions.put("INTERNAL_API_KEY", INTERNAL_KEY);
        return new SeedCurl(HTTP, substitutions);
    }

    // ----- Аутентификация -----

    @Test
    @Order(1)
    void gettingTokens() throws Exception {
        HttpResponse<String> res = curl().run("""
                curl -X POST http://localhost/oauth/token \\
                  -H "Content-Type: application/x-www-form-urlencoded" \\
                  -d "grant_type=password" \\
                  -d "username=user@example.com" \\
                  -d "password=SecurePass123!" \\
                  -d "client_id=codelab-flutter-app" \\
                  -d "scope=api:read api:write"
                """);

        assertThat(res.body(), res.statusCode(), is(200));
        JsonNode tokens = Json.read(res.body());
        assertThat(names(tokens), contains("access_token", "refresh_token", "token_type", "expires_in", "scope"));
        assertThat(tokens.path("access_token").asText().split("\\.").length, is(3));
        assertThat(tokens.path("access_token").asText(), startsWith("eyJ"));
        assertThat(tokens.path("refresh_token").asText().isBlank(), is(false));
        assertThat(tokens.path("token_type").asText(), is("bearer"));
        assertThat(tokens.path("expires_in").asInt(), is(900));
        assertThat(tokens.path("scope").asText(), is("api:read api:write"));
        accessToken = tokens.path("access_token").asText();
    }

    @Test
    @Order(2)
    void usingTokensOverHttp() throws Exception {
        HttpResponse<String> res = curl().run("""
                curl http://localhost/api/v1/sessions \\
                  -H "Authorization: Bearer YOUR_ACCESS_TOKEN"
                """);

        assertThat(res.body(), res.statusCode(), is(200));
        assertThat(Json.read(res.body()).path("sessions").isArray(), is(true));
    }

    @Test
    @Order(3)
    void publicKeys() throws Exception {
        HttpResponse<String> res = curl().run("curl http://localhost/.well-known/jwks.json");

        assertThat(res.statusCode(), is(200));
        JsonNode key = Json.read(res.body()).path("keys").get(0);
        assertThat(names(key), hasAll("kty", "use", "kid", "alg", "n", "e"));
        assertThat(key.path("kty").asText(), is("RSA"));
        assertThat(key.path("use").asText(), is("sig"));
        assertThat(key.path("alg").asText(), is("RS256"));
        assertThat(key.path("e").asText(), is("AQAB"));
        assertThat(key.path("kid").asText().isBlank(), is(false));
    }

    // ----- Gateway Service API -----

    @Test
    @Order(4)
    void gatewayHealth() throws Exception {
        HttpResponse<String> res = curl().run("curl http://localhost/api/v1/health");

        assertThat(res.body(), res.statusCode(), is(200));
        JsonNode health = Json.read(res.body());
        assertThat(names(health), contains("status", "version", "services"));
        assertThat(health.path("status").asText(), is("healthy"));
        assertThat(health.path("version").asText().isBlank(), is(false));
        assertThat(names(health.path("services")).subList(0, 2), contains("agent_runtime", "database"));
        assertThat(health.path("services").path("agent_runtime").asText(), is("healthy"));
        assertThat(health.path("services").path("database").asText(), is("connected"));
    }

    @Test
    @Order(5)
    void webSocketMessage() throws Exception {
        // const ws = new WebSocket('ws://localhost/api/v1/ws/session-123', {headers: {'Authorization': 'Bearer ...'}});
        URI uri = URI.create(publicUrl().replace("http://", "ws://") + "/api/v1/ws/session-123");
        try (WsClient ws = WsClient.open(HTTP, uri, accessToken).waitingUpTo(Duration.ofSeconds(30))) {
            // ws.send(JSON.stringify({type: 'user_message', content: 'Создай новый виджет'}));
            ws.send("""
                    {"type":"user_message","content":"Создай новый виджет"}""");
            // ws.onmessage: JSON.parse(event.data)
            List<JsonNode> frames = ws.untilDone();

            assertSeedEvents(frames);
            JsonNode switched = frames.getFirst();
            assertThat(switched.path("type").asText(), is("agent_switched"));
            assertThat(switched.path("from_agent").asText(), is("orchestrator"));
            assertThat(switched.path("to_agent").asText(), is("coder"));
        }
    }

    @Test
    @Order(6)
    void createSession() throws Exception {
        HttpResponse<String> res = curl().run("""
                curl -X POST http://localhost/api/v1/sessions \\
                  -H "Authorization: Bearer YOUR_ACCESS_TOKEN" \\
                  -H "Content-Type: application/json" \\
                  -d '{
                    "system_prompt": "You are a helpful coding assistant"
                  }'
                """);

        assertThat(res.body(), res.statusCode(), is(201));
        JsonNode session = Json.read(res.body());
        assertThat(names(session), hasAll("session_id", "created_at", "current_agent"));
        assertThat(session.path("session_id").asText().length(), is(36));
        Instant.parse(session.path("created_at").asText());
        assertThat(session.path("current_agent").asText(), is("orchestrator"));
    }

    @Test
    @Order(7)
    void getSession() throws Exception {
        HttpResponse<String> res = curl().run("""
                curl http://localhost/api/v1/sessions/session-123 \\
                  -H "Authorization: Bearer YOUR_ACCESS_TOKEN"
                """);

        assertThat(res.body(), res.statusCode(), is(200));
        JsonNode session = Json.read(res.body());
        assertThat(
                names(session), hasAll("session_id", "created_at", "last_activity", "current_agent", "message_count"));
        assertThat(session.path("session_id").asText(), is("session-123"));
        Instant.parse(session.path("created_at").asText());
        Instant.parse(session.path("last_activity").asText());
        assertThat(session.path("current_agent").asText(), is("coder"));
        assertThat(session.path("message_count").asInt(), greaterThanOrEqualTo(2));
    }

    @Test
    @Order(8)
    void sessionHistory() throws Exception {
        HttpResponse<String> res = curl().run("""
                curl http://localhost/api/v1/sessions/session-123/history \\
                  -H "Authorization: Bearer YOUR_ACCESS_TOKEN"
                """);

        assertThat(res.body(), res.statusCode(), is(200));
        JsonNode history = Json.read(res.body());
        assertThat(history.path("session_id").asText(), is("session-123"));
        JsonNode user = history.path("messages").get(0);
        JsonNode assistant = history.path("messages").get(1);
        assertThat(names(user), contains("id", "role", "content", "timestamp"));
        assertThat(user.path("role").asText(), is("user"));
        assertThat(user.path("content").asText(), is("Создай новый виджет"));
        Instant.parse(user.path("timestamp").asText());
        assertThat(names(assistant), hasAll("id", "role", "content", "agent_name", "timestamp"));
        assertThat(assistant.path("role").asText(), is("assistant"));
        assertThat(assistant.path("content").asText().isBlank(), is(false));
        assertThat(assistant.path("agent_name").asText(), is("coder"));
    }

    @Test
    @Order(9)
    void agents() throws Exception {
        HttpResponse<String> res = curl().run("""
                curl http://localhost/api/v1/agents \\
                  -H "Authorization: Bearer YOUR_ACCESS_TOKEN"
                """);

        assertThat(res.statusCode(), is(200));
        JsonNode agents = Json.read(res.body()).path("agents");
        assertThat(
                agents.get(0).path("type").asText() + " "
                        + agents.get(0).path("name").asText() + " "
                        + agents.get(0).path("emoji").asText(),
                is("orchestrator Orchestrator Agent 🎭"));
        assertThat(
                agents.get(1).path("type").asText() + " "
                        + agents.get(1).path("name").asText() + " "
                        + agents.get(1).path("emoji").asText(),
                is("coder Coder Agent 💻"));
        for (JsonNode agent : agents) {
            assertThat(names(agent), hasAll("type", "name", "emoji", "description"));
            assertThat(agent.path("description").asText().isBlank(), is(false));
        }
    }

    // ----- Agent Runtime API (Internal) -----

    @Test
    @Order(10)
    void agentMessageStream() throws Exception {
        HttpResponse<String> res = curl().run("""
                curl -X POST http://agent-runtime:8001/agent/message/stream \\
                  -H "X-Internal-Auth: INTERNAL_API_KEY" \\
                  -H "Content-Type: application/json" \\
                  -d '{
                    "session_id": "session-123",
                    "message": {
                      "type": "user_message",
                      "content": "Создай новый виджет"
                    }
                  }'
                """);

        assertThat(res.body(), res.statusCode(), is(200));
        assertThat(res.headers().firstValue("Content-Type").orElse(""), startsWith("text/event-stream"));
        assertSeedEvents(
                sseData(res.body()).stream().map(SeedExamplesTest::json).toList());
    }

    @Test
    @Order(11)
    void agentsAndTheSessionsCurrentAgent() throws Exception {
        HttpResponse<String> current = curl().run("""
                curl http://agent-runtime:8001/agents/session-123/current \\
                  -H "X-Internal-Auth: INTERNAL_API_KEY"
                """);
        HttpResponse<String> agents = curl().run("""
                curl http://agent-runtime:8001/agents \\
                  -H "X-Internal-Auth: INTERNAL_API_KEY"
                """);

        assertThat(current.body(), current.statusCode(), is(200));
        assertThat(json(current.body()), is(json("""
                {"session_id":"session-123","current_agent":"coder"}""")));
        assertThat(agents.statusCode(), is(200));
        assertThat(json(agents.body()).path("agents").size(), is(5));
    }

    // ----- LLM Proxy API (Internal) -----

    @Test
    @Order(12)
    void llmProxyChatCompletions() throws Exception {
        HttpResponse<String> res = curl().run("""
                curl -X POST http://llm-proxy:8002/v1/chat/completions \\
                  -H "X-Internal-Auth: INTERNAL_API_KEY" \\
                  -H "Content-Type: application/json" \\
                  -d '{
                    "model": "gpt-4",
                    "messages": [
                      {"role": "user", "content": "Hello"}
                    ],
                    "stream": true
                  }'
                """);

        assertThat(res.body(), res.statusCode(), is(200));
        List<String> data = sseData(res.body());
        assertThat(data.getLast(), is("[DONE]"));
        List<JsonNode> chunks = data.subList(0, data.size() - 1).stream()
                .map(SeedExamplesTest::json)
                .toList();
        assertThat(
                chunks.stream().map(c -> c.path("object").asText()).toList(), everyItem(is("chat.completion.chunk")));
        // No OPENAI_API_KEY here: the dev stack's fake model answers for gpt-4 and says so (docs/llmproxy.md).
        assertThat(chunks.stream().map(c -> c.path("model").asText()).toList(), everyItem(is("fake:gpt-4")));
        assertThat(chunks.getFirst().path("system_fingerprint").asText(), containsString("OPENAI_API_KEY is not set"));
        String text = chunks.stream()
                .map(c ->
                        c.path("choices").path(0).path("delta").path("content").asText(""))
                .collect(Collectors.joining());
        assertThat(text, containsString("Hello"));
    }

    // ----- Примеры использования -----

    @Test
    @Order(13)
    void pythonClient() throws Exception {
        // client = CodeLabClient()  (base_url "http://localhost")
        String baseUrl = publicUrl();
        // tokens = await client.login("user@example.com", "password")  — "password" stands for the user's password
        HttpResponse<String> login = passwordLogin(baseUrl);
        raiseForStatus(login);
        JsonNode tokens = json(login.body());
        String token = tokens.path("access_token").asText();
        // print(f"Access token: {tokens['access_token'][:20]}...")
        assertThat(token.substring(0, 20), startsWith("eyJ"));

        // session = await client.create_session()  — a POST without a body
        HttpResponse<String> created = HTTP.send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/sessions"))
                        .header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        raiseForStatus(created);
        // print(f"Session ID: {session['session_id']}")
        assertThat(json(created.body()).path("session_id").asText().isBlank(), is(false));

        // agents = await client.get_agents()
        HttpResponse<String> agents = HTTP.send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/agents"))
                        .header("Authorization", "Bearer " + token)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        raiseForStatus(agents);
        // print(f"Available agents: {len(agents['agents'])}")
        assertThat(json(agents.body()).path("agents").size(), is(5));
    }

    @Test
    @Order(14)
    void dartClient() throws Exception {
        // final client = CodeLabClient();  (baseUrl 'http://localhost')
        String baseUrl = publicUrl();
        // final tokens = await client.login('user@example.com', 'password');  — 'password' stands for the password
        HttpResponse<String> login = passwordLogin(baseUrl);
        assertThat("Login failed: " + login.body(), login.statusCode(), is(200));
        String accessToken = json(login.body()).path("access_token").asText();
        // print('Logged in: ${tokens['access_token'].substring(0, 20)}...');
        assertThat(accessToken.length(), greaterThanOrEqualTo(20));

        // final session = await client.createSession();  — JSON content type, no body, expects 201
        HttpResponse<String> created = HTTP.send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/sessions"))
                        .header("Authorization", "Bearer " + accessToken)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat("Session creation failed: " + created.body(), created.statusCode(), is(201));
        // print('Session created: ${session['session_id']}');
        assertThat(json(created.body()).path("session_id").asText().isBlank(), is(false));

        // final agents = await client.getAgents();  — expects 200, returns data['agents']
        HttpResponse<String> agents = HTTP.send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/agents"))
                        .header("Authorization", "Bearer " + accessToken)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat("Failed to get agents", agents.statusCode(), is(200));
        // print('Available agents: ${agents.length}');
        assertThat(json(agents.body()).path("agents").size(), is(5));
    }

    // ----- Health Checks, Error Response Format, Rate Limiting -----

    @Test
    @Order(15)
    void healthChecks() throws Exception {
        HttpResponse<String> nginx = curl().run("curl http://localhost/nginx-health");
        assertThat(nginx.statusCode(), is(200));
        assertThat(nginx.body(), is("healthy\n"));
        for (String command : List.of(
                "curl http://localhost/auth-health",
                "curl http://localhost/gateway-health",
                "curl http://agent-runtime:8001/health",
                "curl http://llm-proxy:8002/health")) {
            HttpResponse<String> res = curl().run(command);
            assertThat(command, res.statusCode(), is(200));
            assertThat(command, json(res.body()).path("status").asText(), is("healthy"));
        }
    }

    @Test
    @Order(16)
    void errorResponseFormat() throws Exception {
        HttpResponse<String> res = curl().run("curl http://localhost/api/v1/sessions");

        assertThat(res.statusCode(), is(401));
        JsonNode error = json(res.body());
        assertThat(error.path("error").asText(), is("invalid_token"));
        assertThat(error.path("message").asText().isBlank(), is(false));
    }

    @Test
    @Order(17)
    void gatewayRateLimit() throws Exception {
        // 100 requests / minute per IP on /api/v1/*: the earlier examples count too, and a minute may turn meanwhile.
        HttpResponse<String> res = null;
        for (int i = 0; i < 250 && (res == null || res.statusCode() != 429); i++) {
            res = curl().run("curl http://localhost/api/v1/agents -H \"Authorization: Bearer YOUR_ACCESS_TOKEN\"");
        }

        assertThat(res.statusCode(), is(429));
        JsonNode error = json(res.body());
        assertThat(error.path("error").asText(), is("rate_limit_exceeded"));
        assertThat(error.path("message").asText(), is("Too many requests"));
        assertThat(error.path("retry_after").asInt(), greaterThanOrEqualTo(1));
        assertThat(error.path("retry_after").asInt(), lessThanOrEqualTo(60));
    }

    /** The seed's streamed events: its types only, each with the seed's fields, one {@code done} at the end. */
    private static void assertSeedEvents(List<JsonNode> events) {
        List<String> types = events.stream().map(e -> e.path("type").asText()).toList();
        assertThat(types.toString(), types, everyItem(isIn(SEED_EVENT_TYPES)));
        assertThat(types.getLast(), is("done"));
        assertThat(types.subList(0, types.size() - 1), everyItem(not(is("done"))));
        assertThat(types, org.hamcrest.Matchers.hasItem("assistant_message"));
        for (JsonNode event : events) {
            switch (event.path("type").asText()) {
                case "agent_switched" -> assertThat(names(event), hasAll("from_agent", "to_agent"));
                case "assistant_message" -> assertThat(event.path("token").isTextual(), is(true));
                case "tool_call" -> assertThat(names(event), hasAll("tool_name", "arguments"));
                default -> assertThat(event.path("reason").asText(), is("completed"));
            }
        }
    }

    private static List<String> sseData(String body) {
        List<String> data = new ArrayList<>();
        new SseEventReader(body.lines().iterator()).iterator().forEachRemaining(event -> data.add(event.data()));
        return data;
    }

    /** httpx's {@code raise_for_status()}: a 4xx or 5xx answer is an error. */
    private static void raiseForStatus(HttpResponse<String> res) {
        assertThat(res.uri() + " " + res.body(), res.statusCode(), lessThanOrEqualTo(399));
    }

    /** A form body as httpx's {@code data=} and Dart's {@code body: Map} encode it. */
    /** The examples' login: a password grant by the IDE's client as a form, as both clients send it. */
    private static HttpResponse<String> passwordLogin(String baseUrl) throws Exception {
        Map<String, String> fields = Map.of(
                "grant_type",
                "password",
                "username",
                SEED_USER,
                "password",
                SEED_PASSWORD,
                "client_id",
                "codelab-flutter-app");
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(baseUrl + "/oauth/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(form(fields))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.BodyPublisher form(Map<String, String> fields) {
        return HttpRequest.BodyPublishers.ofString(fields.entrySet().stream()
                .map(f -> f.getKey() + "=" + URLEncoder.encode(f.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&")));
    }

    private static org.hamcrest.Matcher<Iterable<String>> hasAll(String... names) {
        return org.hamcrest.Matchers.hasItems(names);
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode json(String text) {
        try {
            return Json.read(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
