package dev.codelab.auth;

import static dev.codelab.auth.AuthServer.INTERNAL;
import static dev.codelab.auth.AuthServer.form;
import static dev.codelab.auth.PasswordGrantTest.basic;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.codelab.shared.config.ServiceConfig;
import dev.codelab.shared.testing.TestInfra;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the service seeds when it starts: the class's service starts without an admin password, so it generates one
 * and prints it; what it printed is captured while {@code @SetUpServer} starts it.
 */
class SeedTest extends AuthServiceTest {

    private static String printedAtStart;

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        printedAtStart = stdoutOf(() -> serve(server, Map.of("auth-service.admin-password", "")));
    }

    /** What {@code startUp} printed on standard output. */
    private static String stdoutOf(Runnable startUp) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            startUp.run();
        } finally {
            System.setOut(stdout);
        }
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void generatedAdminPasswordIsPrintedOnceAndWorks() {
        String second = stdoutOf(
                () -> auth.sibling(Map.of("auth-service.admin-password", "")).close());

        String printed = printedAtStart.strip();
        assertThat(printed, containsString("Generated password for user 'admin'"));
        String password = printed.substring(printed.lastIndexOf(' ') + 1);
        assertThat(auth.login("admin@codelab.local", password).statusCode(), is(200));
        assertThat(second, is(""));
        assertThat(auth.sql("SELECT count(*) FROM oauth_clients"), contains("2"));
        assertThat(auth.sql("SELECT count(*) FROM users WHERE username = 'admin'"), contains("1"));
    }

    @Test
    void changedInternalSecretTakesEffectOnRestart() {
        try (AuthServer restarted = auth.sibling(Map.of("auth-service.internal-client-secret", "rotated-secret"))) {
            assertThat(
                    restarted
                            .post(
                                    "/oauth/token",
                                    form("grant_type", "client_credentials"),
                                    "Authorization",
                                    basic(INTERNAL, "rotated-secret"))
                            .statusCode(),
                    is(200));
            assertThat(
                    restarted
                            .post(
                                    "/oauth/token",
                                    form("grant_type", "client_credentials"),
                                    "Authorization",
                                    basic(INTERNAL, AuthServer.INTERNAL_SECRET))
                            .statusCode(),
                    is(401));
        }
    }

    @Test
    void productionRefusesToStartWithoutRealSecrets() {
        String db = TestInfra.newDatabase();
        Map<String, String> base = Map.of(
                "environment",
                "production",
                "auth-service.db-url",
                db,
                "auth-service.master-key",
                "a-real-master-key",
                "auth-service.internal-client-secret",
                "a-real-secret",
                "auth-service.admin-password",
                "Real-Admin-Pass");

        for (String key : new String[] {
            "auth-service.admin-password", "auth-service.master-key", "auth-service.internal-client-secret"
        }) {
            Map<String, String> config = new java.util.HashMap<>(base);
            config.remove(key);
            if (!key.equals("auth-service.admin-password")) {
                config.put(
                        key, key.endsWith("master-key") ? "dev-master-key-change-me" : "dev-internal-secret-change-me");
            }
            IllegalStateException failure = assertThrows(
                    IllegalStateException.class,
                    () -> AuthApp.create(ServiceConfig.load("AUTH_SERVICE", Map.of(), config)));
            assertThat(
                    failure.getMessage(),
                    containsString("AUTH_SERVICE__"
                            + key.substring("auth-service.".length())
                                    .toUpperCase()
                                    .replace('-', '_')));
        }
    }
}
