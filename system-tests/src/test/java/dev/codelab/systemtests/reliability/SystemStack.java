package dev.codelab.systemtests.reliability;

import dev.codelab.devstack.DevStack;
import dev.codelab.devstack.ServiceStack;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.testing.TestInfra;
import dev.codelab.shared.testing.WsClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code codelab up}'s {@link DevStack} as the system tests run it: on free loopback ports over one test
 * PostgreSQL database per service and the Redis the test picks, with two users and the HTTP calls the tests
 * make. A test may stop and restart the agent runtime on its port (fault tests).
 */
final class SystemStack implements AutoCloseable {

    static final String INTERNAL_KEY = "reliability-internal-key-0123456789abcdef";
    static final String PASSWORD = "Reliability-Pass-1";
    static final String ALICE = "alice";
    static final String BOB = "bob";

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String agentDbUrl = TestInfra.newDatabase();
    private final String llmproxyDbUrl = TestInfra.newDatabase();
    private DevStack stack;

    private SystemStack() {}

    /**
     * Starts the stack. {@code env} holds service variables ({@code GATEWAY__...}, {@code LLM_PROXY__...});
     * the defaults lift the rate limits so that fuzzing exercises parsing, not the limiter.
     */
    static SystemStack start(String redisUrl, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(Map.of(
                "AUTH_SERVICE__RATE_LIMIT_PER_IP", "1000000",
                "AUTH_SERVICE__RATE_LIMIT_PER_USERNAME", "1000000",
                "AUTH_SERVICE__BRUTE_FORCE_THRESHOLD", "1000000",
                "AUTH_SERVICE__BCRYPT_COST", "4",
                "AUTH_SERVICE__REDIS_KEY_PREFIX", "rel" + System.nanoTime() + ":",
                "GATEWAY__RATE_LIMIT_REST_PER_MIN", "1000000",
                "GATEWAY__WS_MAX_FRAMES_PER_MIN", "1000000",
                "LLM_PROXY__FAKE_DELAY_MS", "0"));
        // llmproxy's production default, not codelab up's "fake": a model without its key answers 503
        all.put("LLM_PROXY__KEYLESS_MODELS", "unavailable");
        all.put("CODELAB_INTERNAL_API_KEY", INTERNAL_KEY);
        all.put("CODELAB_DEMO_PASSWORD", PASSWORD);
        all.putAll(env);
        SystemStack system = new SystemStack();
        try {
            system.stack = DevStack.start(
                    Files.createTempDirectory("codelab-system"),
                    new ServiceStack.Stores(TestInfra.newDatabase(), system.agentDbUrl, system.llmproxyDbUrl, redisUrl),
                    Map.copyOf(all));
            system.stack.ensureUser(ALICE, "alice@example.com", PASSWORD);
            system.stack.ensureUser(BOB, "bob@example.com", PASSWORD);
            return system;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            system.close();
            throw e;
        }
    }

    static SystemStack start(Map<String, String> env) {
        return start(TestInfra.redisUrl(), env);
    }

    /** Stops the agent runtime's server and service, as if its process died (open streams are cut). */
    void stopAgent() {
        stack.stopAgent();
    }

    /** Starts a fresh agent runtime on the port it had, over the same database. */
    void restartAgent() {
        stack.restartAgent();
    }

    /** JDBC URL (with credentials) of the agent runtime's database. */
    String agentDbUrl() {
        return agentDbUrl;
    }

    /** JDBC URL (with credentials) of the LLM proxy's usage database. */
    String llmproxyDbUrl() {
        return llmproxyDbUrl;
    }

    /** Runs {@code sql} on the test PostgreSQL's {@code postgres} database (outages: refusing connections to one). */
    void asSuperuser(String sql) throws SQLException {
        String postgres = agentDbUrl.replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]+", "$1postgres");
        try (Connection connection = DriverManager.getConnection(postgres);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Creates {@code username} (password {@link #PASSWORD}) unless it exists. */
    void ensureUser(String username) {
        stack.ensureUser(username, username + "@example.com", PASSWORD);
    }

    int authPort() {
        return stack.ports().auth();
    }

    int gatewayPort() {
        return stack.ports().gateway();
    }

    int agentPort() {
        return stack.ports().agent();
    }

    int llmproxyPort() {
        return stack.ports().llmproxy();
    }

    URI gateway(String path) {
        return URI.create("http://127.0.0.1:" + gatewayPort() + path);
    }

    URI auth(String path) {
        return URI.create("http://127.0.0.1:" + authPort() + path);
    }

    URI socket(String sessionId) {
        return URI.create("ws://127.0.0.1:" + gatewayPort() + "/api/v1/ws/" + sessionId);
    }

    /** An IDE socket of the token's user to {@code sessionId}, waiting up to 30 s for a frame. */
    WsClient connect(String sessionId, String token) {
        return WsClient.open(http, socket(sessionId), token).waitingUpTo(Duration.ofSeconds(30));
    }

    HttpClient http() {
        return http;
    }

    /** An access token of {@code username} from the password grant. */
    String login(String username) throws Exception {
        HttpResponse<String> res = postForm(Map.of(
                "grant_type",
                "password",
                "username",
                username,
                "password",
                PASSWORD,
                "client_id",
                "codelab-flutter-app"));
        if (res.statusCode() != 200) {
            throw new IllegalStateException("login of " + username + ": " + res.statusCode() + " " + res.body());
        }
        return Json.read(res.body()).path("access_token").asText();
    }

    HttpResponse<String> postForm(Map<String, String> fields) throws Exception {
        StringBuilder body = new StringBuilder();
        fields.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&")
                .append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return postForm(body.toString());
    }

    HttpResponse<String> postForm(String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(auth("/oauth/token"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A gateway REST call; {@code body} may be null. */
    HttpResponse<String> api(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(gateway(path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            req.header("Content-Type", "application/json");
        }
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Creates a session of the token's user and returns its id. */
    String newSession(String token) throws Exception {
        HttpResponse<String> res = api("POST", "/api/v1/sessions", token, """
                {"title":"reliability"}""");
        if (res.statusCode() != 201) {
            throw new IllegalStateException("create session: " + res.statusCode() + " " + res.body());
        }
        return Json.read(res.body()).path("session_id").asText();
    }

    @Override
    public void close() {
        if (stack != null) {
            stack.close();
        }
    }
}
