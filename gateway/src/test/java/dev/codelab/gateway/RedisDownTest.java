package dev.codelab.gateway;

import java.util.List;
import java.util.Map;

import dev.codelab.gateway.support.WsClient;
import dev.codelab.shared.http.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * With Redis gone the gateway fails open (the default): REST and sockets keep working, frames are numbered
 * locally (there is nothing to replay from until Redis is back).
 */
class RedisDownTest extends GatewayTestBase {

    @BeforeAll
    static void start() throws Exception {
        startGateway(Map.of());
    }

    @Test
    void socketsAndRestKeepWorkingWithoutRedis() {
        gateway.agent.script((request, out) -> {
            out.event(map("type", "assistant_message", "token", "ok", "is_final", true, "content", "ok", "agent_name", "ask"));
            out.event(map("type", "done", "reason", "completed"));
        });
        String token = gateway.tokens.access("no-redis-user");
        String session = gateway.createSession("no-redis-user");
        gateway.redis.close();
        try (WsClient ws = gateway.connect("/api/v1/ws/" + session, token)) {
            assertThat(gateway.get("/api/v1/sessions/" + session, token).statusCode(), is(200));
            ws.send(map("type", "user_message", "content", "still?"));
            assertThat(Json.write(ws.next(2)), is(Json.write(List.of(
                    map("type", "assistant_message", "token", "ok", "is_final", true, "content", "ok", "agent_name", "ask", "seq", 1),
                    map("type", "done", "reason", "completed", "seq", 2)))));
            ws.send("{\"type\":\"nope\"}");
            assertThat(ws.next().get("seq").asInt(), is(3));
        } finally {
            gateway.redis.restart();
        }
    }
}
