package dev.codelab.systemtests.reliability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.embedded.EmbeddedRedisServer;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.testing.TestInfra;
import dev.codelab.shared.testing.WsClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Redis and PostgreSQL go away and come back under the real stack (docs/reliability.md, Faults): rate limits fail open
 * and apply again, a database outage is a 503 with the error body (and an error frame on the socket), and
 * both recover without restarting anything.
 */
class InfrastructureOutageTest {

    private static final int REST_LIMIT = 15;

    @Test
    void withRedisStoppedLimitsFailOpenAndApplyAgainWhenItReturns() throws Exception {
        try (EmbeddedRedisServer redis = TestInfra.ownRedis();
                SystemStack stack = SystemStack.start(
                        redis.url(), Map.of("GATEWAY__RATE_LIMIT_REST_PER_MIN", String.valueOf(REST_LIMIT)))) {
            String token = stack.login(SystemStack.ALICE);
            assertThat("limited while Redis is up", requestsUntil429(stack, token), is(true));

            redis.close();
            for (int i = 0; i < 2 * REST_LIMIT; i++) {
                HttpResponse<String> res = stack.api("GET", "/api/v1/agents", token, null);
                assertThat("fail open, request " + i + ": " + res.body(), res.statusCode(), is(200));
            }
            assertThat(
                    "a login works without Redis", stack.login(SystemStack.BOB).isEmpty(), is(false));
            String session = stack.newSession(token);
            try (WsClient ide = stack.connect(session, token)) {
                ide.send("""
                        {"type":"user_message","content":"hello without redis"}""");
                assertThat(ide.untilDone().getLast().path("reason").asText(), is("completed"));
            }

            redis.restart();
            assertThat("limited again once Redis is back", requestsUntil429(stack, token), is(true));
        }
    }

    /** Whether {@code REST_LIMIT + 5} requests meet a 429 with the documented body. */
    private static boolean requestsUntil429(SystemStack stack, String token) throws Exception {
        for (int i = 0; i < REST_LIMIT + 5; i++) {
            HttpResponse<String> res = stack.api("GET", "/api/v1/agents", token, null);
            if (res.statusCode() == 429) {
                JsonNode body = Json.read(res.body());
                assertThat(res.body(), body.path("error").asText(), is("rate_limit_exceeded"));
                assertThat(res.body(), res.headers().firstValue("Retry-After").isPresent(), is(true));
                return true;
            }
            assertThat(res.body(), res.statusCode(), is(200));
        }
        return false;
    }

    @Test
    void withTheAgentDatabaseDownRestIs503AndTheSocketGetsAnErrorThenBothRecover() throws Exception {
        try (SystemStack stack = SystemStack.start(Map.of())) {
            String token = stack.login(SystemStack.ALICE);
            String session = stack.newSession(token);
            String database = stack.agentDbUrl().replaceAll("^jdbc:postgresql://[^/]+/([^?]+).*$", "$1");
            try (WsClient ide = stack.connect(session, token)) {
                stack.asSuperuser("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
                stack.asSuperuser(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
                try {
                    HttpResponse<String> res = firstNot200(stack, token, "/api/v1/sessions/" + session);
                    assertThat(res.body(), res.statusCode(), is(503));
                    FuzzTest.assertErrorBody(res.body(), Json.read(res.body()));

                    ide.send("""
                            {"type":"user_message","content":"hello while the database is down"}""");
                    List<JsonNode> turn = ide.untilDone();
                    assertThat(turn.toString(), turn.getFirst().path("type").asText(), is("error"));
                    assertThat(turn.toString(), turn.getLast().path("reason").asText(), is("error"));
                    assertThat(ide.isOpen(), is(true));
                } finally {
                    stack.asSuperuser("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
                }
                // Pooled connections killed during the outage fail once each and are evicted; then it recovers.
                int status = 503;
                for (int attempt = 0; attempt < 25 && status != 200; attempt++) {
                    status = stack.api("GET", "/api/v1/sessions/" + session, token, null)
                            .statusCode();
                }
                assertThat("REST recovered without a restart", status, is(200));
                ide.send("""
                        {"type":"user_message","content":"hello after the outage"}""");
                assertThat(ide.untilDone().getLast().path("reason").asText(), is("completed"));
            }
        }
    }

    /** Killed pooled connections may answer a few requests before the pool notices; the outage is what follows. */
    private static HttpResponse<String> firstNot200(SystemStack stack, String token, String path) throws Exception {
        HttpResponse<String> res = null;
        for (int attempt = 0; attempt < 25; attempt++) {
            res = stack.api("GET", path, token, null);
            if (res.statusCode() != 200) {
                return res;
            }
        }
        return res;
    }
}
