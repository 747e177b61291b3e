package dev.codelab.auth;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.codelab.shared.config.ServiceConfig;
import dev.codelab.shared.embedded.EmbeddedRedisServer;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.jwt.JwksSource;
import dev.codelab.shared.jwt.JwtVerifier;
import dev.codelab.shared.server.ServiceServer;
import dev.codelab.shared.testing.TestInfra;
import io.helidon.webserver.WebServer;
import redis.clients.jedis.JedisPooled;

/**
 * An auth service on a free port over a fresh PostgreSQL database and a Redis of its own, with a clock the
 * test can move, plus the HTTP helpers the tests share. Passwords hash at bcrypt cost 4 to keep tests quick.
 */
final class AuthServer implements AutoCloseable {

    static final String ADMIN_PASSWORD = "Admin-Pass-123";
    static final String INTERNAL_SECRET = "internal-test-secret";
    static final String FLUTTER = "codelab-flutter-app";
    static final String INTERNAL = "codelab-internal";

    final String dbUrl;
    final EmbeddedRedisServer redis;
    final MutableClock clock;
    final AuthApp app;
    final WebServer server;
    final HttpClient http = HttpClient.newHttpClient();

    private AuthServer(String dbUrl, EmbeddedRedisServer redis, MutableClock clock, Map<String, String> overrides) {
        this.dbUrl = dbUrl;
        this.clock = clock;
        this.redis = redis;
        Map<String, String> config = new HashMap<>(Map.of(
                "auth-service.db-url", dbUrl,
                "auth-service.redis-url", redis.url(),
                "auth-service.bcrypt-cost", "4",
                "auth-service.rate-limit-per-ip", "1000",
                "auth-service.admin-password", ADMIN_PASSWORD,
                "auth-service.internal-client-secret", INTERNAL_SECRET,
                "auth-service.db-pool-size", "4"));
        config.putAll(overrides);
        this.app = AuthApp.create(ServiceConfig.load("AUTH_SERVICE", Map.of(), config), clock);
        this.server = ServiceServer.start(ServiceConfig.load("AUTH_SERVICE", Map.of(), Map.of("server.port", "0",
                "server.host", "127.0.0.1")).get("server"), "auth", List.of(app));
    }

    static AuthServer start() {
        return start(Map.of());
    }

    static AuthServer start(Map<String, String> overrides) {
        return new AuthServer(TestInfra.newDatabase(), TestInfra.ownRedis(), new MutableClock(), overrides);
    }

    /** A second server over the same database, Redis and clock (another replica, or other settings). */
    AuthServer sibling(Map<String, String> overrides) {
        return new AuthServer(dbUrl, redis, clock, overrides);
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    void flushRedis() {
        try (JedisPooled jedis = new JedisPooled(redis.url())) {
            jedis.flushAll();
        }
    }

    HttpResponse<String> post(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).GET().build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A form body from name/value pairs, url-encoded. */
    static String form(String... pairs) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            parts.add(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8) + "=" + URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return String.join("&", parts);
    }

    static Map<String, Object> json(HttpResponse<String> response) {
        try {
            return Json.MAPPER.readValue(response.body(), new TypeReference<LinkedHashMap<String, Object>>() {
            });
        } catch (Exception e) {
            throw new AssertionError("Not JSON: " + response.body(), e);
        }
    }

    HttpResponse<String> login(String username, String password) {
        return post("/oauth/token", form("grant_type", "password", "username", username, "password", password,
                "client_id", FLUTTER));
    }

    HttpResponse<String> refresh(String refreshToken) {
        return post("/oauth/token", form("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", FLUTTER));
    }

    /** Creates a user with a unique name; returns the username. Password: {@code Secret-Pass-1}. */
    String newUser() {
        String username = "u" + UUID.randomUUID().toString().substring(0, 8);
        app.users().create(username, username + "@example.com", "Secret-Pass-1", true, dev.codelab.auth.audit.Caller.LOCAL);
        return username;
    }

    /** The verifier the gateway uses, pointed at this server's JWKS. */
    JwtVerifier verifier() {
        return new JwtVerifier(new JwksSource(URI.create(base() + "/.well-known/jwks.json"), clock),
                "https://auth.codelab.local", "codelab-api", Duration.ofSeconds(30), clock);
    }

    /** Runs a query on the service's database and returns the first column of each row. */
    List<String> sql(String query) {
        try (Connection connection = DriverManager.getConnection(dbUrl);
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(query)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
        app.close();
    }

    /** Also stops the Redis this server owns. */
    void closeAll() {
        close();
        redis.close();
    }
}
