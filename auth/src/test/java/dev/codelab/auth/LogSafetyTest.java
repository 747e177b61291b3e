package dev.codelab.auth;

import static dev.codelab.auth.AuthServer.INTERNAL;
import static dev.codelab.auth.AuthServer.INTERNAL_SECRET;
import static dev.codelab.auth.AuthServer.form;
import static dev.codelab.auth.AuthServer.json;
import static dev.codelab.auth.PasswordGrantTest.basic;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.AfterStop;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

/**
 * Every log line written while the service seeds, logs users in, refreshes and detects reuse is free of secrets.
 * Every log record from the class's start-up on is captured ({@code @SetUpServer} starts capturing before it
 * starts the service, which generates and prints an admin password); the capture ends when the server stopped.
 */
class LogSafetyTest extends AuthServiceTest {

    private static final LogCapture LOG = new LogCapture();
    private static String adminPassword;

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        LOG.start();
        PrintStream stdout = System.out;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
            serve(server, Map.of("auth-service.admin-password", ""));
        } finally {
            System.setOut(stdout);
        }
        String printed = console.toString(StandardCharsets.UTF_8);
        adminPassword = printed.substring(printed.lastIndexOf(' ') + 1).strip();
    }

    @AfterStop
    public static void stopCapture() {
        LOG.stop();
    }

    @Test
    void noPasswordSecretOrTokenAppearsInAnyLogLine() {
        List<String> secrets = new ArrayList<>(List.of(
                INTERNAL_SECRET, "Secret-Pass-1", "wrong-password-xyz", "dev-master-key-change-me", adminPassword));

        String user = auth.newUser();
        auth.login(user, "wrong-password-xyz");
        var login = auth.login("admin", adminPassword);
        assertThat(login.body(), login.statusCode(), is(200));
        String access = (String) json(login).get("access_token");
        String refresh = (String) json(login).get("refresh_token");
        String child = (String) json(auth.refresh(refresh)).get("refresh_token");
        auth.refresh(refresh);
        auth.post(
                "/oauth/token",
                form("grant_type", "client_credentials"),
                "Authorization",
                basic(INTERNAL, INTERNAL_SECRET));
        auth.post(
                "/oauth/token",
                form("grant_type", "client_credentials"),
                "Authorization",
                basic(INTERNAL, "wrong-password-xyz"));
        auth.post("/oauth/introspect", form("token", access), "Authorization", basic(INTERNAL, INTERNAL_SECRET));
        auth.post("/oauth/revoke", form("token", child, "client_id", "codelab-flutter-app"));
        secrets.addAll(List.of(access, refresh, child));
        List<String> lines = LOG.linesOnceLogged(8, "codelab.auth.access");

        assertThat(lines.stream().anyMatch(l -> l.contains("POST /oauth/token 200")), is(true));
        for (String secret : secrets) {
            for (String line : lines) {
                assertThat("log line leaks a secret: " + line, line.contains(secret), is(false));
            }
        }
    }

    /** Every record of every logger, formatted, while started; {@code dev.codelab} loggers log everything meanwhile. */
    private static final class LogCapture extends Handler {

        private final SimpleFormatter formatter = new SimpleFormatter();
        private final List<String> lines = new ArrayList<>();
        private final List<String> loggers = new ArrayList<>();
        private final Logger root = Logger.getLogger("");
        private final Logger codelab = Logger.getLogger("dev.codelab");
        private Level codelabLevel;

        void start() {
            codelabLevel = codelab.getLevel();
            setLevel(Level.ALL);
            root.addHandler(this);
            codelab.setLevel(Level.ALL);
        }

        void stop() {
            root.removeHandler(this);
            codelab.setLevel(codelabLevel);
        }

        /**
         * The lines captured so far, once {@code count} records of {@code logger} arrived: a request's access line
         * is written after its response went out, so the last requests' lines may still be on their way.
         */
        synchronized List<String> linesOnceLogged(int count, String logger) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            try {
                while (loggers.stream().filter(logger::equals).count() < count && System.nanoTime() < deadline) {
                    wait(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return List.copyOf(lines);
        }

        @Override
        public synchronized void publish(LogRecord record) {
            lines.add(formatter.format(record));
            loggers.add(String.valueOf(record.getLoggerName()));
            notifyAll();
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
