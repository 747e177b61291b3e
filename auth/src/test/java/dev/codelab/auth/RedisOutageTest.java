package dev.codelab.auth;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.codelab.auth.AuthServer.FLUTTER;
import static dev.codelab.auth.AuthServer.form;
import static dev.codelab.auth.AuthServer.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** Redis stopped: fail-open keeps logins working; fail-closed answers 503 and /ready says why. */
class RedisOutageTest {

    private AuthServer failOpen;
    private AuthServer failClosed;
    private String user;

    @BeforeEach
    void start() {
        failOpen = AuthServer.start();
        failClosed = failOpen.sibling(Map.of("auth-service.redis-fail-open", "false"));
        user = failOpen.newUser();
    }

    @AfterEach
    void stop() {
        failClosed.close();
        failOpen.closeAll();
    }

    @Test
    void failOpenStillServesTokensWhenRedisIsDown() {
        failOpen.redis.close();

        HttpResponse<String> login = failOpen.login(user, "Secret-Pass-1");
        assertThat(login.body(), login.statusCode(), is(200));
        HttpResponse<String> refresh = failOpen.refresh((String) json(login).get("refresh_token"));
        assertThat(refresh.statusCode(), is(200));
        HttpResponse<String> ready = failOpen.get("/ready");
        assertThat(ready.statusCode(), is(200));
        assertThat(json(ready), is(Map.of("status", "ready",
                "checks", Map.of("database", "up", "redis", "down (rate limits fail open)"))));
    }

    @Test
    void failClosedAnswers503WhenRedisIsDownAndRecovers() {
        assertThat(failClosed.get("/ready").statusCode(), is(200));
        failOpen.redis.close();

        HttpResponse<String> login = failClosed.login(user, "Secret-Pass-1");
        assertThat(login.statusCode(), is(503));
        assertThat(json(login), is(Map.of("error", "temporarily_unavailable",
                "error_description", "Rate limiting is unavailable; try again later")));
        HttpResponse<String> ready = failClosed.get("/ready");
        assertThat(ready.statusCode(), is(503));
        assertThat(json(ready), is(Map.of("status", "unavailable", "checks", Map.of("database", "up", "redis", "down"))));

        failOpen.redis.restart();
        assertThat(failClosed.post("/oauth/token", form("grant_type", "password", "username", user, "password",
                "Secret-Pass-1", "client_id", FLUTTER)).statusCode(), is(200));
    }
}
