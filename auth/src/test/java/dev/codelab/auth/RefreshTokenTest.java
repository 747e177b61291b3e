package dev.codelab.auth;

import static dev.codelab.auth.AuthServer.INTERNAL;
import static dev.codelab.auth.AuthServer.INTERNAL_SECRET;
import static dev.codelab.auth.AuthServer.form;
import static dev.codelab.auth.AuthServer.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.codelab.auth.audit.RequestOrigin;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class RefreshTokenTest extends AuthServiceTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, Map.of("auth-service.session-max-seconds", "7200"));
    }

    @Test
    void refreshRotatesTokenKeepsScopeAndStoresOnlyHashes() throws Exception {
        String user = auth.newUser();
        Map<String, Object> first = json(auth.login(user, "Secret-Pass-1", "api:read"));
        String refresh = (String) first.get("refresh_token");

        HttpResponse<String> response = auth.refresh(refresh);

        assertThat(response.body(), response.statusCode(), is(200));
        assertThat(response.headers().firstValue("Cache-Control").orElse(""), is("no-store"));
        Map<String, Object> second = json(response);
        assertThat(second.get("scope"), is("api:read"));
        assertThat(second.get("refresh_token"), not(refresh));
        auth.verifier().verify((String) second.get("access_token"));
        assertThat(auth.sql("SELECT count(*) FROM refresh_tokens WHERE token_hash = '" + refresh + "'"), contains("0"));
        assertThat(
                auth.sql("SELECT count(DISTINCT family_id) FROM refresh_tokens t JOIN users u ON u.id = t.user_id "
                        + "WHERE u.username = '" + user + "'"),
                contains("1"));
        assertThat(
                auth.sql("SELECT count(*) FROM audit_logs a JOIN users u ON u.id = a.user_id WHERE u.username = '"
                        + user + "' AND a.event_type = 'token_refresh'"),
                contains("1"));
    }

    @Test
    void reusingRotatedTokenRevokesFamilyButNotOtherSessions() {
        String user = auth.newUser();
        String original = refreshTokenOf(auth.login(user, "Secret-Pass-1"));
        String otherDevice = refreshTokenOf(auth.login(user, "Secret-Pass-1"));
        String child = refreshTokenOf(auth.refresh(original));

        HttpResponse<String> replay = auth.refresh(original);

        assertThat(replay.statusCode(), is(401));
        assertThat(
                json(replay),
                is(Map.of(
                        "error",
                        "invalid_grant",
                        "error_description",
                        "Refresh token has been revoked (reuse detected)")));
        HttpResponse<String> sibling = auth.refresh(child);
        assertThat(sibling.statusCode(), is(401));
        assertThat(json(sibling).get("error_description"), is("Invalid or expired refresh token"));
        assertThat(auth.refresh(otherDevice).statusCode(), is(200));
        assertThat(
                auth.sql("SELECT event_data->>'revoked_tokens' FROM audit_logs a JOIN users u ON u.id = a.user_id "
                        + "WHERE u.username = '" + user + "' AND a.event_type = 'refresh_reuse_detected'"),
                contains("1"));
    }

    @Test
    void twoConcurrentRefreshesOfOneTokenYieldExactlyOneSuccess() throws Exception {
        String user = auth.newUser();
        String refresh = refreshTokenOf(auth.login(user, "Secret-Pass-1"));
        CountDownLatch go = new CountDownLatch(1);
        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return auth.refresh(refresh).statusCode();
                }));
            }
            go.countDown();
            for (Future<Integer> result : results) {
                statuses.add(result.get());
            }
        }
        assertThat(statuses, containsInAnyOrder(200, 401));
    }

    @Test
    void refreshTokenOfAnotherClientIsRejectedWithoutRevokingIt() {
        String user = auth.newUser();
        String refresh = refreshTokenOf(auth.login(user, "Secret-Pass-1"));

        HttpResponse<String> stolen = auth.post(
                "/oauth/token",
                form("grant_type", "refresh_token", "refresh_token", refresh),
                "Authorization",
                PasswordGrantTest.basic(INTERNAL, INTERNAL_SECRET));

        assertThat(stolen.statusCode(), is(401));
        assertThat(json(stolen).get("error"), is("invalid_grant"));
        assertThat(auth.refresh(refresh).statusCode(), is(200));
    }

    @Test
    void disabledUserCannotRefresh() {
        String user = auth.newUser();
        String refresh = refreshTokenOf(auth.login(user, "Secret-Pass-1"));
        auth.app.users().disable(user, RequestOrigin.LOCAL);

        HttpResponse<String> response = auth.refresh(refresh);

        assertThat(response.statusCode(), is(401));
        assertThat(json(response).get("error"), is("invalid_grant"));
        assertThat(
                auth.sql("SELECT revoked_reason FROM refresh_tokens t JOIN users u ON u.id = t.user_id "
                        + "WHERE u.username = '" + user + "'"),
                contains("user_disabled"));
    }

    @Test
    void familyEndsAtSessionMaximumEvenWhenRotatedOften() {
        String user = auth.newUser();
        String refresh = refreshTokenOf(auth.login(user, "Secret-Pass-1"));
        for (int i = 0; i < 3; i++) {
            auth.clock.advance(Duration.ofMinutes(30));
            refresh = refreshTokenOf(auth.refresh(refresh));
        }
        auth.clock.advance(Duration.ofMinutes(31));

        HttpResponse<String> late = auth.refresh(refresh);

        assertThat(late.statusCode(), is(401));
        assertThat(json(late).get("error_description"), is("Invalid or expired refresh token"));
    }

    @Test
    void purgeDeletesLongExpiredTokensOnly() {
        String user = auth.newUser();
        refreshTokenOf(auth.login(user, "Secret-Pass-1"));
        auth.clock.advance(Duration.ofHours(3));
        auth.app.maintenance().purge();
        assertThat(
                auth.sql("SELECT count(*) FROM refresh_tokens t JOIN users u ON u.id = t.user_id WHERE u.username = '"
                        + user + "'"),
                contains("1"));

        auth.clock.advance(Duration.ofDays(8));
        auth.app.maintenance().purge();

        assertThat(
                auth.sql("SELECT count(*) FROM refresh_tokens t JOIN users u ON u.id = t.user_id WHERE u.username = '"
                        + user + "'"),
                contains("0"));
    }

    static String refreshTokenOf(HttpResponse<String> response) {
        assertThat(response.body(), response.statusCode(), is(200));
        return (String) json(response).get("refresh_token");
    }
}
