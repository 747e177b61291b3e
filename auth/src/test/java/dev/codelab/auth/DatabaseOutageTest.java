package dev.codelab.auth;

import static dev.codelab.auth.AuthServer.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.AfterStop;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PostgreSQL refusing connections: token requests get 503 temporarily_unavailable, /ready says database down. */
class DatabaseOutageTest extends AuthServiceTest {

    private static String database;
    private static String maintenanceUrl;

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, Map.of());
        database = service.dbUrl.replaceAll("^jdbc:postgresql://[^/]+/([^?]+).*$", "$1");
        maintenanceUrl = service.dbUrl.replaceFirst("/" + database, "/postgres");
    }

    @AfterStop
    public static void allowConnections() throws SQLException {
        admin("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
    }

    @Test
    void databaseDownIs503WithOAuthBodyAndNotReady() throws SQLException {
        String user = auth.newUser();
        admin("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
        admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");

        HttpResponse<String> login = auth.login(user, "Secret-Pass-1");
        assertThat(login.statusCode(), is(503));
        assertThat(
                json(login),
                is(Map.of(
                        "error",
                        "temporarily_unavailable",
                        "error_description",
                        "The service is temporarily unavailable")));
        HttpResponse<String> ready = auth.get("/ready");
        assertThat(ready.statusCode(), is(503));
        assertThat(
                json(ready), is(Map.of("status", "unavailable", "checks", Map.of("database", "down", "redis", "up"))));

        admin("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
        // Pooled connections killed during the outage fail once each (503) and are evicted; then the pool recovers.
        int status = 503;
        for (int attempt = 0; attempt < 10 && status == 503; attempt++) {
            status = auth.login(user, "Secret-Pass-1").statusCode();
        }
        assertThat(status, is(200));
    }

    private static void admin(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(maintenanceUrl);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
