package dev.codelab.auth;

import dev.codelab.auth.audit.RequestOrigin;
import dev.codelab.shared.config.ServiceConfig;
import dev.codelab.shared.embedded.EmbeddedRedisServer;
import dev.codelab.shared.server.ServiceServer;
import dev.codelab.shared.testing.TestInfra;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import redis.clients.jedis.JedisPooled;

/**
 * The auth service under test: its {@link AuthApp} over a fresh PostgreSQL database and a Redis of its own, with
 * a clock the test can move. Passwords hash at bcrypt cost 4 to keep tests quick.
 *
 * <p>A test class serves it with Helidon's {@code @ServerTest}: its {@code @SetUpServer} method hands the server
 * builder to {@link #setUp}, its constructor takes the injected {@link URI} to {@link #at}, and its
 * {@code @AfterStop} method calls {@link #closeAll}. A test that needs another replica (same database, Redis and
 * clock) starts one on a free port with {@link #sibling} and {@link #serve()}.
 */
final class AuthService {

    static final String ADMIN_PASSWORD = "Admin-Pass-123";
    static final String INTERNAL_SECRET = "internal-test-secret";

    final String dbUrl;
    final EmbeddedRedisServer redis;
    final MutableClock clock;
    final AuthApp app;

    private AuthService(String dbUrl, EmbeddedRedisServer redis, MutableClock clock, Map<String, String> overrides) {
        this.dbUrl = dbUrl;
        this.redis = redis;
        this.clock = clock;
        Map<String, String> config = new HashMap<>(Map.of(
                "auth-service.db-url",
                dbUrl,
                "auth-service.redis-url",
                redis.url(),
                "auth-service.bcrypt-cost",
                "4",
                "auth-service.rate-limit-per-ip",
                "1000",
                "auth-service.admin-password",
                ADMIN_PASSWORD,
                "auth-service.internal-client-secret",
                INTERNAL_SECRET,
                "auth-service.db-pool-size",
                "4"));
        config.putAll(overrides);
        this.app = AuthApp.create(ServiceConfig.load("AUTH_SERVICE", Map.of(), config), clock);
    }

    static AuthService create(Map<String, String> overrides) {
        return new AuthService(TestInfra.newDatabase(), TestInfra.ownRedis(), new MutableClock(), overrides);
    }

    /**
     * Another instance over the same database, Redis and clock (a replica, or the service restarted with other
     * settings).
     */
    AuthService sibling(Map<String, String> overrides) {
        return new AuthService(dbUrl, redis, clock, overrides);
    }

    /** This service's routes on a test server, exactly as production sets up its server. */
    void setUp(WebServerConfig.Builder server) {
        ServiceServer.setup(server, "auth", List.of(app));
    }

    /** This service as a client reaches it at {@code uri} (the test server's). */
    AuthServer at(URI uri) {
        return new AuthServer(this, uri.toString().replaceAll("/$", ""), null);
    }

    /** This service on a server of its own on a free port; closing the result stops both. */
    AuthServer serve() {
        WebServer server = ServiceServer.start(
                ServiceConfig.load("AUTH_SERVICE", Map.of(), Map.of("server.port", "0", "server.host", "127.0.0.1"))
                        .get("server"),
                "auth",
                List.of(app));
        return new AuthServer(this, "http://127.0.0.1:" + server.port(), server);
    }

    /** Clears rate-limit counters and lockouts, so that one test's never leak into the next. */
    void flushRedis() {
        try (JedisPooled jedis = new JedisPooled(redis.url())) {
            jedis.flushAll();
        }
    }

    /** Creates a user with a unique name; returns the username. Password: {@code Secret-Pass-1}. */
    String newUser() {
        String username = "u" + UUID.randomUUID().toString().substring(0, 8);
        app.users().create(username, username + "@example.com", "Secret-Pass-1", true, RequestOrigin.LOCAL);
        return username;
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

    /** Runs an update on the service's database. */
    void update(String statement) {
        try (Connection connection = DriverManager.getConnection(dbUrl);
                Statement update = connection.createStatement()) {
            update.executeUpdate(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Releases the app's pools (after its server stopped). */
    void close() {
        app.close();
    }

    /** Also stops the Redis this service owns. */
    void closeAll() {
        close();
        redis.close();
    }
}
