package dev.codelab.auth;

import static dev.codelab.auth.AuthServer.FLUTTER;
import static dev.codelab.auth.AuthServer.form;
import static dev.codelab.auth.AuthServer.json;
import static dev.codelab.auth.AuthServer.passwordGrant;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.AfterStop;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rate limits and lockouts with the production defaults (5 per IP per minute, lockout after 5 failures). */
class AbuseProtectionTest extends AuthServiceTest {

    /** Same database and Redis, behind a trusted proxy (127.0.0.1), with a high IP limit. */
    private static AuthServer behindProxy;

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, Map.of("auth-service.rate-limit-per-ip", "5"));
        behindProxy = service.sibling(Map.of(
                        "auth-service.trusted-proxies", "127.0.0.1/32", "auth-service.rate-limit-per-ip", "1000"))
                .serve();
    }

    @AfterStop
    public static void stopReplica() {
        behindProxy.close();
    }

    @Test
    void sixthTokenRequestFromOneIpWithinAMinuteIs429WithRealRetryAfter() {
        for (int i = 1; i <= 5; i++) {
            HttpResponse<String> allowed =
                    auth.post("/oauth/token", form("grant_type", "password", "client_id", FLUTTER));
            assertThat(allowed.statusCode(), is(400));
            assertThat(allowed.headers().firstValue("X-RateLimit-Limit").orElse(""), is("5"));
            assertThat(allowed.headers().firstValue("X-RateLimit-Remaining").orElse(""), is(String.valueOf(5 - i)));
        }

        HttpResponse<String> refused = auth.post("/oauth/token", form("grant_type", "password", "client_id", FLUTTER));

        assertThat(refused.statusCode(), is(429));
        long retryAfter =
                Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter, greaterThan(0L));
        assertThat(retryAfter, lessThanOrEqualTo(60L));
        assertThat(refused.headers().firstValue("X-RateLimit-Remaining").orElse(""), is("0"));
        assertThat(refused.headers().firstValue("X-RateLimit-Reset").orElse(""), is(String.valueOf(retryAfter)));
        assertThat(
                json(refused),
                is(Map.of(
                        "error",
                        "rate_limit_exceeded",
                        "error_description",
                        "Too many requests. Please try again later.",
                        "retry_after",
                        (int) retryAfter)));
        assertThat(
                auth.sql("SELECT count(*) FROM audit_logs "
                        + "WHERE event_type = 'rate_limited' AND event_data->>'limit' = 'ip'"),
                contains("1"));
    }

    @Test
    void jwksAndHealthAreNotRateLimited() {
        for (int i = 0; i < 8; i++) {
            assertThat(auth.get("/.well-known/jwks.json").statusCode(), is(200));
            assertThat(auth.get("/health").statusCode(), is(200));
        }
    }

    @Test
    void fiveBadPasswordsLockTheUsernameEvenForTheRightPassword() {
        String user = auth.newUser();
        for (int i = 0; i < 5; i++) {
            assertThat(
                    behindProxy
                            .post("/oauth/token", badLogin(user), "X-Forwarded-For", "203.0.113." + i)
                            .statusCode(),
                    is(401));
        }

        HttpResponse<String> locked = behindProxy.post(
                "/oauth/token", passwordGrant(user.toUpperCase(), "Secret-Pass-1"), "X-Forwarded-For", "203.0.113.99");

        assertThat(locked.statusCode(), is(429));
        long retryAfter =
                Long.parseLong(locked.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter, greaterThan(800L));
        assertThat(
                json(locked),
                is(Map.of(
                        "error",
                        "invalid_grant",
                        "error_description",
                        "Too many failed attempts. Try again in " + retryAfter + " seconds.",
                        "retry_after",
                        (int) retryAfter)));
        assertThat(
                auth.sql("SELECT count(*) FROM audit_logs WHERE event_type = 'lockout' AND event_data->>'username' = '"
                        + user + "'"),
                contains("1"));
    }

    @Test
    void tenFailuresFromOneIpLockThatIpForEveryUsername() {
        for (int i = 0; i < 10; i++) {
            assertThat(
                    behindProxy
                            .post("/oauth/token", badLogin("someone" + i), "X-Forwarded-For", "198.51.100.7")
                            .statusCode(),
                    is(401));
        }
        String user = auth.newUser();

        HttpResponse<String> fromLockedIp =
                behindProxy.post("/oauth/token", goodLogin(user), "X-Forwarded-For", "198.51.100.7");
        HttpResponse<String> fromOtherIp =
                behindProxy.post("/oauth/token", goodLogin(user), "X-Forwarded-For", "198.51.100.8");

        assertThat(fromLockedIp.statusCode(), is(429));
        assertThat(json(fromLockedIp).get("error"), is("invalid_grant"));
        assertThat(fromOtherIp.statusCode(), is(200));
    }

    @Test
    void successfulLoginClearsTheUsernameCounter() {
        String user = auth.newUser();
        for (int i = 0; i < 4; i++) {
            behindProxy.post("/oauth/token", badLogin(user), "X-Forwarded-For", "192.0.2." + i);
        }
        assertThat(
                behindProxy
                        .post("/oauth/token", goodLogin(user), "X-Forwarded-For", "192.0.2.50")
                        .statusCode(),
                is(200));
        for (int i = 0; i < 4; i++) {
            behindProxy.post("/oauth/token", badLogin(user), "X-Forwarded-For", "192.0.2." + (10 + i));
        }

        assertThat(
                behindProxy
                        .post("/oauth/token", goodLogin(user), "X-Forwarded-For", "192.0.2.60")
                        .statusCode(),
                is(200));
    }

    @Test
    void passwordAttemptsPerUsernameAreLimitedPerHour() {
        String user = auth.newUser();
        for (int i = 0; i < 10; i++) {
            assertThat(
                    behindProxy
                            .post("/oauth/token", goodLogin(user), "X-Forwarded-For", "192.0.2." + (100 + i))
                            .statusCode(),
                    is(200));
        }

        HttpResponse<String> eleventh =
                behindProxy.post("/oauth/token", goodLogin(user), "X-Forwarded-For", "192.0.2.200");

        assertThat(eleventh.statusCode(), is(429));
        assertThat(json(eleventh).get("error"), is("rate_limit_exceeded"));
        assertThat(Long.parseLong(eleventh.headers().firstValue("Retry-After").orElseThrow()), greaterThan(3000L));
    }

    @Test
    void forwardedForFromAnUntrustedPeerIsIgnored() {
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> response = auth.post(
                    "/oauth/token",
                    form("grant_type", "password", "client_id", FLUTTER),
                    "X-Forwarded-For",
                    "10.9.8." + i);
            assertThat(response.statusCode(), is(400));
        }

        HttpResponse<String> spoofed = auth.post(
                "/oauth/token", form("grant_type", "password", "client_id", FLUTTER), "X-Forwarded-For", "10.9.8.200");

        assertThat(spoofed.statusCode(), is(429));
    }

    @Test
    void forwardedForFromATrustedProxyNamesTheClient() {
        String user = auth.newUser();
        behindProxy.post(
                "/oauth/token", badLogin(user), "X-Forwarded-For", "198.51.100.77, 127.0.0.1", "User-Agent", "ide/1.0");

        assertThat(
                auth.sql("SELECT ip_address || ' ' || user_agent FROM audit_logs WHERE event_type = 'login_failed' "
                        + "AND event_data->>'username' = '" + user + "'"),
                contains("198.51.100.77 ide/1.0"));
    }

    private String badLogin(String user) {
        return form("grant_type", "password", "username", user, "password", "wrong-password", "client_id", FLUTTER);
    }

    private String goodLogin(String user) {
        return passwordGrant(user, "Secret-Pass-1");
    }
}
