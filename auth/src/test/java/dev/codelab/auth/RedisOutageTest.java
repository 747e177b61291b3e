package dev.codelab.auth;

import static dev.codelab.auth.AuthServer.json;
import static dev.codelab.auth.AuthServer.passwordGrant;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis stopped: fail-open keeps logins working; fail-closed answers 503 and /ready says why. The class's service
 * fails open, a replica next to it on the same Redis fails closed; a test that stopped the class's own Redis has
 * it started again afterwards.
 */
class RedisOutageTest extends AuthServiceTest {

    private AuthServer failOpen;
    private AuthServer failClosed;
    private String user;
    private boolean redisStopped;

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, Map.of());
    }

    @BeforeEach
    void start() {
        failOpen = auth;
        failClosed = failOpen.sibling(Map.of("auth-service.redis-fail-open", "false"));
        user = failOpen.newUser();
    }

    @AfterEach
    void stop() {
        failClosed.close();
        if (redisStopped) {
            startRedis();
        }
    }

    private void stopRedis() {
        service.redis.close();
        redisStopped = true;
    }

    private void startRedis() {
        service.redis.restart();
        redisStopped = false;
    }

    @Test
    void failOpenStillServesTokensWhenRedisIsDown() {
        stopRedis();

        HttpResponse<String> login = failOpen.login(user, "Secret-Pass-1");
        assertThat(login.body(), login.statusCode(), is(200));
        HttpResponse<String> refresh = failOpen.refresh((String) json(login).get("refresh_token"));
        assertThat(refresh.statusCode(), is(200));
        HttpResponse<String> ready = failOpen.get("/ready");
        assertThat(ready.statusCode(), is(200));
        assertThat(
                json(ready),
                is(Map.of(
                        "status",
                        "ready",
                        "checks",
                        Map.of("database", "up", "redis", "down (rate limits fail open)"))));
    }

    @Test
    void failClosedAnswers503WhenRedisIsDownAndRecovers() {
        assertThat(failClosed.get("/ready").statusCode(), is(200));
        stopRedis();

        HttpResponse<String> login = failClosed.login(user, "Secret-Pass-1");
        assertThat(login.statusCode(), is(503));
        assertThat(
                json(login),
                is(Map.of(
                        "error",
                        "temporarily_unavailable",
                        "error_description",
                        "Rate limiting is unavailable; try again later")));
        HttpResponse<String> ready = failClosed.get("/ready");
        assertThat(ready.statusCode(), is(503));
        assertThat(
                json(ready), is(Map.of("status", "unavailable", "checks", Map.of("database", "up", "redis", "down"))));

        startRedis();
        assertThat(
                failClosed
                        .post("/oauth/token", passwordGrant(user, "Secret-Pass-1"))
                        .statusCode(),
                is(200));
    }
}
