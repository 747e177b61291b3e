package dev.codelab.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.gateway.GatewayApp;
import dev.codelab.shared.config.ServiceConfig;
import dev.codelab.shared.embedded.EmbeddedRedisServer;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.server.ServiceServer;
import dev.codelab.shared.testing.TestInfra;
import dev.codelab.shared.testing.WsClient;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A gateway in front of a {@link FakeAgent}, with tokens from {@link TestTokens} and a Redis of its own (so
 * rate-limit counters of one test class never leak into another), plus the clients tests need. It runs on
 * Helidon's {@code @ServerTest} server ({@link #create}, {@link #setUp}, {@link #servedBy});
 * {@link #replica()} starts another gateway replica on the same agent, keys and Redis on a server of its own.
 */
public final class GatewayHarness implements AutoCloseable {

    public final FakeAgent agent;
    public final TestTokens tokens;
    public final EmbeddedRedisServer redis;
    private final Map<String, String> settings;
    private final boolean sharesParts;
    private final Config config;
    private final GatewayApp app;
    private WebServer server;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private boolean stopped;

    private GatewayHarness(Map<String, String> settings) throws IOException {
        this(new FakeAgent(), new TestTokens(), TestInfra.ownRedis(), settings, false);
    }

    private GatewayHarness(
            FakeAgent agent,
            TestTokens tokens,
            EmbeddedRedisServer redis,
            Map<String, String> settings,
            boolean sharesParts) {
        this.agent = agent;
        this.tokens = tokens;
        this.redis = redis;
        this.settings = settings;
        this.sharesParts = sharesParts;
        Map<String, String> overrides = new HashMap<>();
        overrides.put("server.port", "0");
        overrides.put("server.host", "127.0.0.1");
        overrides.put("gateway.agent-url", agent.url());
        overrides.put("gateway.auth-service-url", tokens.authUrl());
        overrides.put("gateway.redis-url", redis.url());
        overrides.put("gateway.internal-api-key", FakeAgent.KEY);
        overrides.put("gateway.rate-limit-rest-per-min", "10000");
        overrides.put("gateway.agent-request-timeout-seconds", "2");
        overrides.put("gateway.agent-stream-idle-seconds", "2");
        overrides.put("gateway.shutdown-grace-seconds", "3");
        overrides.putAll(settings);
        config = ServiceConfig.load("GATEWAY", Map.of(), overrides);
        app = GatewayApp.create(config);
    }

    /**
     * A gateway for a {@code @ServerTest} class: its {@code @SetUpServer} calls {@link #setUp}, and the
     * server Helidon started is handed to {@link #servedBy} before the tests use it.
     *
     * @param settings config-form overrides such as {@code gateway.ws-auth-required}
     */
    public static GatewayHarness create(Map<String, String> settings) throws IOException {
        return new GatewayHarness(settings);
    }

    /** This gateway's routes and WebSocket endpoints on a test server, exactly as production sets up its server. */
    public void setUp(WebServerConfig.Builder server) {
        ServiceServer.setup(server, "gateway", List.of(app));
    }

    public void servedBy(WebServer server) {
        this.server = server;
    }

    /** Another gateway replica with the same settings, agent, keys and Redis; closing it stops only its gateway. */
    public GatewayHarness replica() {
        return new GatewayHarness(agent, tokens, redis, settings, true).serveAlone();
    }

    private GatewayHarness serveAlone() {
        server = ServiceServer.start(config.get("server"), "gateway", List.of(app));
        return this;
    }

    public int port() {
        return server.port();
    }

    public HttpResponse<String> send(String method, String path, String token, String body) {
        return send(method, path, token, body, Map.of());
    }

    public HttpResponse<String> send(
            String method, String path, String token, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
                .timeout(Duration.ofSeconds(20))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> get(String path, String token) {
        return send("GET", path, token, null);
    }

    public static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.read(response.body());
        } catch (IOException e) {
            throw new AssertionError("Not JSON: " + response.body(), e);
        }
    }

    /** A session of {@code user} created through the gateway; returns its id. */
    public String createSession(String user) {
        return json(send("POST", "/api/v1/sessions", tokens.access(user), "{}"))
                .get("session_id")
                .asText();
    }

    /** Opens a socket authenticated with an {@code Authorization} header. */
    public WsClient connect(String pathAndQuery, String token) {
        return connect(pathAndQuery, b -> b.header("Authorization", "Bearer " + token));
    }

    public WsClient connect(String pathAndQuery, Consumer<WebSocket.Builder> customize) {
        return WsClient.open(http, URI.create("ws://127.0.0.1:" + port() + pathAndQuery), customize);
    }

    /**
     * Sends a WebSocket upgrade over a raw socket and reads the answer, so that tests see the status, headers
     * and JSON body of a refused upgrade (the JDK client hides them).
     */
    public RawResponse upgrade(String pathAndQuery, Map<String, String> headers) {
        try (Socket socket = new Socket("127.0.0.1", port())) {
            return upgradeOn(socket, pathAndQuery, headers);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An upgraded socket that the test drives frame by frame (a client that never answers pings). */
    public Socket openRaw(String pathAndQuery, Map<String, String> headers) throws IOException {
        Socket socket = new Socket("127.0.0.1", port());
        RawResponse answer = upgradeOn(socket, pathAndQuery, headers);
        if (answer.status() != 101) {
            socket.close();
            throw new AssertionError("Upgrade refused: " + answer);
        }
        return socket;
    }

    private RawResponse upgradeOn(Socket socket, String pathAndQuery, Map<String, String> headers) throws IOException {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        StringBuilder request = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:")
                .append(port())
                .append("\r\n")
                .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: ")
                .append(Base64.getEncoder().encodeToString(nonce))
                .append("\r\n")
                .append("Sec-WebSocket-Version: 13\r\n");
        headers.forEach(
                (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("\r\n");
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        String statusLine = readLine(in);
        Map<String, String> responseHeaders = new LinkedHashMap<>();
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            int colon = line.indexOf(':');
            responseHeaders.put(
                    line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).trim());
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        String body = "";
        int length = Integer.parseInt(responseHeaders.getOrDefault("content-length", "0"));
        if (status != 101 && length > 0) {
            body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }
        return new RawResponse(status, responseHeaders, body);
    }

    /** Reads one CRLF-terminated header line byte by byte, so nothing after the headers is consumed. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    /** Drains and stops the gateway now (graceful shutdown tests). */
    public void stopGateway() {
        if (!stopped) {
            stopped = true;
            app.close();
            server.stop();
        }
    }

    @Override
    public void close() {
        stopGateway();
        if (sharesParts) {
            return;
        }
        agent.close();
        tokens.close();
        redis.close();
    }

    /** A raw HTTP answer to an upgrade request; header names in lower case. */
    public record RawResponse(int status, Map<String, String> headers, String body) {

        public JsonNode json() {
            try {
                return Json.read(body);
            } catch (IOException e) {
                throw new AssertionError("Not JSON: " + body, e);
            }
        }
    }
}
