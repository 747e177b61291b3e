package dev.codelab.auth;

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

import static dev.codelab.auth.AuthServer.INTERNAL;
import static dev.codelab.auth.AuthServer.INTERNAL_SECRET;
import static dev.codelab.auth.AuthServer.form;
import static dev.codelab.auth.AuthServer.json;
import static dev.codelab.auth.PasswordGrantTest.basic;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** Every log line written while the service seeds, logs users in, refreshes and detects reuse is free of secrets. */
class LogSafetyTest {

    @Test
    void noPasswordSecretOrTokenAppearsInAnyLogLine() {
        List<String> lines = new ArrayList<>();
        Handler capture = new Handler() {
            private final SimpleFormatter formatter = new SimpleFormatter();

            @Override
            public void publish(LogRecord record) {
                lines.add(formatter.format(record));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        Logger codelab = Logger.getLogger("dev.codelab");
        Level codelabLevel = codelab.getLevel();
        capture.setLevel(Level.ALL);
        root.addHandler(capture);
        codelab.setLevel(Level.ALL);
        PrintStream stdout = System.out;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        List<String> secrets = new ArrayList<>(List.of(INTERNAL_SECRET, "Secret-Pass-1", "wrong-password-xyz",
                "dev-master-key-change-me"));
        AuthServer auth = null;
        try {
            System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
            auth = AuthServer.start(Map.of("auth-service.admin-password", ""));
            System.setOut(stdout);
            String printed = console.toString(StandardCharsets.UTF_8);
            String adminPassword = printed.substring(printed.lastIndexOf(' ') + 1).strip();
            secrets.add(adminPassword);

            String user = auth.newUser();
            auth.login(user, "wrong-password-xyz");
            var login = auth.login("admin", adminPassword);
            assertThat(login.body(), login.statusCode(), is(200));
            String access = (String) json(login).get("access_token");
            String refresh = (String) json(login).get("refresh_token");
            String child = (String) json(auth.refresh(refresh)).get("refresh_token");
            auth.refresh(refresh);
            auth.post("/oauth/token", form("grant_type", "client_credentials"), "Authorization", basic(INTERNAL, INTERNAL_SECRET));
            auth.post("/oauth/token", form("grant_type", "client_credentials"), "Authorization", basic(INTERNAL, "wrong-password-xyz"));
            auth.post("/oauth/introspect", form("token", access), "Authorization", basic(INTERNAL, INTERNAL_SECRET));
            auth.post("/oauth/revoke", form("token", child, "client_id", "codelab-flutter-app"));
            secrets.addAll(List.of(access, refresh, child));
        } finally {
            System.setOut(stdout);
            if (auth != null) {
                auth.closeAll();
            }
            root.removeHandler(capture);
            codelab.setLevel(codelabLevel);
        }

        assertThat(lines.stream().anyMatch(l -> l.contains("POST /oauth/token 200")), is(true));
        for (String secret : secrets) {
            for (String line : lines) {
                assertThat("log line leaks a secret: " + line, line.contains(secret), is(false));
            }
        }
    }
}
