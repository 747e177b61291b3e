package dev.codelab.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.config.ServiceConfig;
import dev.codelab.shared.db.PoolUsage;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.server.ServiceServer;
import dev.codelab.shared.sse.SseEventReader;
import dev.codelab.shared.testing.TestInfra;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One agent runtime on a fresh PostgreSQL database, talking to a {@link FakeOpenAi}, with HTTP helpers that
 * speak to it as the gateway does. A test class serves it on Helidon's {@code @ServerTest} server
 * ({@link AgentServiceTest}): {@link #setUp} routes it as production does, {@link #servedBy} takes the started
 * server, and {@link #reset} gives each test empty tables and a fake with nothing scripted or recorded (the flows
 * assert on one session's whole history). Replicas and restarts are runtimes of their own on free ports, over
 * the same database and LLM.
 */
final class AgentHarness implements AutoCloseable {

    static final String KEY = "test-internal-key";

    final FakeOpenAi llm;
    final String dbUrl;
    private final Map<String, String> overrides;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private AgentApp servedApp;
    private WebServer testServer;
    private AgentApp app;
    private WebServer server;

    private AgentHarness(FakeOpenAi llm, String proxyUrl, Map<String, String> extra, String dbUrl) {
        this.llm = llm;
        this.dbUrl = dbUrl;
        this.overrides = new HashMap<>(Map.of(
                "server.port", "0",
                "server.host", "127.0.0.1",
                "agent-runtime.db-url", dbUrl,
                "agent-runtime.db-pool-size", "8",
                "agent-runtime.llm-proxy-url", proxyUrl,
                "agent-runtime.internal-api-key", KEY,
                "agent-runtime.llm-retry-base-ms", "1",
                "agent-runtime.llm-retry-max-ms", "5"));
        overrides.putAll(extra);
    }

    /** A runtime with these settings talking to a new {@link FakeOpenAi}. */
    static AgentHarness create(Map<String, String> extra) {
        FakeOpenAi llm = new FakeOpenAi();
        return new AgentHarness(llm, llm.url(), extra, TestInfra.newDatabase());
    }

    /** A runtime talking to a real LLM proxy at {@code proxyUrl} (no fake; {@link #llm} is null). */
    static AgentHarness against(String proxyUrl, Map<String, String> extra) {
        return new AgentHarness(null, proxyUrl, extra, TestInfra.newDatabase());
    }

    /** This runtime's routes on a test server, exactly as production sets up its server. */
    void setUp(WebServerConfig.Builder builder) {
        servedApp = AgentApp.create(config());
        ServiceServer.setup(builder, "agent", List.of(servedApp));
    }

    /** Only this runtime's routes, for a {@code @RoutingTest} (no socket), with the production filters. */
    void route(HttpRouting.Builder routing) {
        servedApp = AgentApp.create(config());
        ServiceServer.routing(routing, "agent", List.of(servedApp));
    }

    void servedBy(WebServer server) {
        this.testServer = server;
        this.server = server;
        this.app = servedApp;
    }

    /** Before each test: the test server's runtime again (after a restart), empty tables, a fake with no script. */
    void reset() {
        stopOwnServer();
        server = testServer;
        app = servedApp;
        TestInfra.emptyTables(dbUrl);
        if (llm != null) {
            llm.reset();
        }
        app.resetPoolUsage();
    }

    /** A second runtime replica on its own port, same database and LLM; the caller closes it. */
    AgentHarness replica() {
        AgentHarness replica = new AgentHarness(null, overrides.get("agent-runtime.llm-proxy-url"), overrides, dbUrl);
        replica.startOwnServer();
        return replica;
    }

    /**
     * A restart: the test goes on against a new runtime on the same database, on a port of its own. The test
     * server's runtime, when it was the one in use, stays up idle for the class's next tests (between turns a
     * runtime holds no lease and no running turn); a runtime of its own is stopped.
     */
    void restart() {
        stopOwnServer();
        startOwnServer();
    }

    /** Stops a replica as a shutting-down process does (its open streams are cut, its leases given up). */
    void shutDown() {
        if (server == testServer) {
            throw new IllegalStateException("The test server's runtime stops with its test class; shut a replica down");
        }
        stopOwnServer();
    }

    private Config config() {
        return ServiceConfig.load("AGENT_RUNTIME", Map.of(), overrides);
    }

    private void startOwnServer() {
        Config config = config();
        app = AgentApp.create(config);
        server = ServiceServer.start(config.get("server"), "agent", List.of(app));
    }

    private void stopOwnServer() {
        if (server != null && server != testServer) {
            server.stop();
            app.close();
            server = null;
        }
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    void createSession(String user, String sessionId) {
        HttpResponse<String> res = send("POST", "/sessions", user, """
                {"session_id":"%s"}\
                """.formatted(sessionId));
        if (res.statusCode() != 201) {
            throw new AssertionError("cannot create session: " + res.statusCode() + " " + res.body());
        }
    }

    /** Posts a client frame and reads the whole SSE answer as events; {@code user} null sends no X-User-Id. */
    List<JsonNode> turn(String user, String sessionId, String messageJson) {
        HttpResponse<Stream<String>> res = streamRequest(user, sessionId, messageJson);
        if (res.statusCode() != 200) {
            throw new AssertionError("stream answered " + res.statusCode());
        }
        List<JsonNode> events = new ArrayList<>();
        new SseEventReader(res.body().iterator()).iterator().forEachRemaining(e -> {
            try {
                events.add(Json.read(e.data()));
            } catch (IOException ex) {
                throw new AssertionError("not JSON: " + e.data(), ex);
            }
        });
        return events;
    }

    HttpResponse<Stream<String>> streamRequest(String user, String sessionId, String messageJson) {
        String body = """
                {"session_id":"%s","message":%s}\
                """.formatted(sessionId, messageJson);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + "/agent/message/stream"))
                .header("X-Internal-Auth", KEY)
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            request.header("X-User-Id", user);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A plain request; {@code user} null sends no X-User-Id. */
    HttpResponse<String> send(String method, String path, String user, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base() + path))
                .header("X-Internal-Auth", KEY)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            builder.header("X-User-Id", user);
        }
        try {
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    JsonNode getJson(String path, String user) {
        HttpResponse<String> res = send("GET", path, user, null);
        if (res.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + res.statusCode() + " " + res.body());
        }
        return json(res.body());
    }

    PoolUsage poolUsage() {
        return app.poolUsage();
    }

    void resetPoolUsage() {
        app.resetPoolUsage();
    }

    /** Changes the database behind the service's back (to stage what another replica would have done). */
    void execute(String sql) {
        try (Connection c = DriverManager.getConnection(dbUrl);
                Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** One number from the database, for checking what was (not) written. */
    long count(String sql) {
        try (Connection c = DriverManager.getConnection(dbUrl);
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** One JSON value per line of {@code text}, blank lines skipped: a stream's expected events, in order. */
    static List<JsonNode> jsonLines(String text) {
        return text.lines()
                .filter(line -> !line.isBlank())
                .map(AgentHarness::json)
                .toList();
    }

    static JsonNode json(String text) {
        try {
            return Json.read(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    static List<String> types(List<JsonNode> events) {
        return events.stream()
                .map(e -> e.path("type").asText()
                        + (e.has("reason") && e.path("type").asText().equals("done")
                                ? ":" + e.get("reason").asText()
                                : ""))
                .toList();
    }

    /**
     * Stops a runtime of its own; for the test server's, also releases its pools and the fake (after the server
     * stopped).
     */
    @Override
    public void close() {
        stopOwnServer();
        if (servedApp != null) {
            servedApp.close();
        }
        if (llm != null) {
            llm.close();
        }
    }
}
