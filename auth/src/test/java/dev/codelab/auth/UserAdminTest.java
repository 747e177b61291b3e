package dev.codelab.auth;

import static dev.codelab.auth.RefreshTokenTest.refreshTokenOf;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.codelab.auth.audit.RequestOrigin;
import dev.codelab.auth.user.InvalidUserException;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UserAdminTest extends AuthServiceTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, Map.of());
    }

    @Test
    void passwordRulesApplyOnCreation() {
        assertRejected("carol", "carol@example.com", "short", "Password must be 8 to 72 characters long");
        assertRejected("carol", "carol@example.com", "x".repeat(73), "Password must be 8 to 72 characters long");
        assertRejected("carol", "carol@example.com", "ü".repeat(40), "Password must be at most 72 bytes in UTF-8");
        assertRejected("carolina", "carol@example.com", "CAROLINA", "Password must not be the username or email");
        assertRejected("carol", "carol@example.com", "Carol@Example.com", "Password must not be the username or email");
        assertRejected(
                "c",
                "carol@example.com",
                "long-enough-1",
                "Username must be 3 to 64 characters: letters, digits, '_', '.', '-'");
        assertRejected("carol", "not-an-email", "long-enough-1", "Email address is not valid");
    }

    @Test
    void usernamesAndEmailsAreUniqueIgnoringCase() {
        auth.app.users().create("dave", "dave@example.com", "long-enough-1", false, RequestOrigin.LOCAL);

        assertRejected("DAVE", "other@example.com", "long-enough-1", "Username or email is already taken");
        assertRejected("dave2", "Dave@Example.com", "long-enough-1", "Username or email is already taken");
        assertThat(
                auth.sql("SELECT count(*) FROM audit_logs a JOIN users u ON u.id = a.user_id WHERE u.username = 'dave' "
                        + "AND a.event_type = 'user_created'"),
                contains("1"));
    }

    @Test
    void changingPasswordEndsOtherSessions() {
        String user = auth.newUser();
        String refresh = refreshTokenOf(auth.login(user, "Secret-Pass-1"));

        auth.app.users().changePassword(user, "New-Pass-456");

        assertThat(auth.refresh(refresh).statusCode(), is(401));
        assertThat(auth.login(user, "Secret-Pass-1").statusCode(), is(401));
        assertThat(auth.login(user, "New-Pass-456").statusCode(), is(200));
    }

    @Test
    void ensureUserCreatesThenResetsPasswordAndReenables() {
        auth.app.ensureUser("demo", "demo@codelab.local", "Demo-Pass-1");
        assertThat(auth.login("demo", "Demo-Pass-1").statusCode(), is(200));
        auth.app.users().disable("demo", RequestOrigin.LOCAL);

        auth.app.ensureUser("demo", "demo@codelab.local", "Demo-Pass-2");

        assertThat(auth.login("demo", "Demo-Pass-2").statusCode(), is(200));
        assertThat(auth.sql("SELECT count(*) FROM users WHERE username = 'demo'"), contains("1"));
        assertThat(
                auth.sql("SELECT count(*) FROM audit_logs a JOIN users u ON u.id = a.user_id WHERE u.username = 'demo' "
                        + "AND a.event_type = 'user_disabled'"),
                contains("1"));
    }

    @Test
    void bcryptHashesWrittenByOtherLibrariesVerify() {
        // The Openwall test vector for "U*U"; $2b$ (Python's passlib, the original) differs from $2a$ only in name.
        String vector = "$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
        for (String version : new String[] {"2a", "2b"}) {
            String name = "legacy" + version;
            auth.sql("INSERT INTO users (id, username, email, password_hash, created_at, updated_at) "
                    + "VALUES (gen_random_uuid(), '" + name + "', '" + name + "@example.com', '$" + version + vector
                    + "', now(), now()) RETURNING 1");
            assertThat(auth.login(name, "U*U").statusCode(), is(200));
            assertThat(auth.login(name, "U*V").statusCode(), is(401));
        }
    }

    private void assertRejected(String username, String email, String password, String message) {
        InvalidUserException failure = assertThrows(
                InvalidUserException.class,
                () -> auth.app.users().create(username, email, password, false, RequestOrigin.LOCAL));
        assertThat(failure.getMessage(), is(message));
    }
}
