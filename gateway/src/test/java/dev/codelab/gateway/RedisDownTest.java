package dev.codelab.gateway;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.testing.WsClient;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * With Redis gone the gateway fails open (the default): REST and sockets keep working, frames are numbered
 * locally (there is nothing to replay from until Redis is back). When Redis comes back empty (no persistence), the
 * socket keeps getting every frame, numbered on from where it was.
 */
class RedisDownTest extends GatewayTestBase {

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws Exception {
        serve(server, Map.of());
    }

    @Test
    void socketsAndRestKeepWorkingWithoutRedis() {
        gateway.agent.script((request, out) -> {
            out.event(json("""
                    {"type":"assistant_message","token":"ok","is_final":true,"content":"ok",\
                    "agent_name":"ask"}"""));
            out.event(map("type", "done", "reason", "completed"));
        });
        String token = gateway.tokens.access("no-redis-user");
        String session = gateway.createSession("no-redis-user");
        gateway.redis.close();
        try (WsClient ws = gateway.connect("/api/v1/ws/" + session, token)) {
            assertThat(gateway.get("/api/v1/sessions/" + session, token).statusCode(), is(200));
            ws.send(map("type", "user_message", "content", "still?"));
            assertThat(Json.write(ws.next(2)), is(Json.write(List.of(json("""
                                    {"type":"assistant_message","token":"ok","is_final":true,\
                                    "content":"ok","agent_name":"ask","seq":1}"""), json("""
                                    {"type":"done","reason":"completed","seq":2}""")))));
            ws.send("""
                    {"type":"nope"}""");
            assertThat(ws.next().get("seq").asInt(), is(3));
        } finally {
            gateway.redis.restart();
        }
    }

    @Test
    void aRedisRestartMidTurnLosesNoFrameAndSeqGoesOnIncreasing() throws Exception {
        BlockingQueue<Map<String, Object>> steps = new LinkedBlockingQueue<>();
        gateway.agent.script((request, out) -> {
            for (Map<String, Object> step = take(steps); ; step = take(steps)) {
                out.event(step);
                if (step.get("type").equals("done")) {
                    return;
                }
            }
        });
        String token = gateway.tokens.access("restart-user");
        String session = gateway.createSession("restart-user");
        try (WsClient ws = gateway.connect("/api/v1/ws/" + session, token)) {
            ws.send(map("type", "user_message", "content", "go on"));
            steps.add(word("before"));
            List<JsonNode> frames = new ArrayList<>(List.of(ws.next()));
            gateway.redis.close();
            steps.add(word("during"));
            frames.add(ws.next());
            gateway.redis.restart();
            steps.add(word("after"));
            steps.add(map("type", "done", "reason", "completed"));
            frames.addAll(ws.untilDone());
            assertThat(
                    frames.stream().map(f -> f.path("token").asText("")).toList(),
                    contains("before", "during", "after", ""));
            for (int i = 1; i < frames.size(); i++) {
                assertThat(
                        frames.get(i).path("seq").asLong(),
                        is(frames.get(i - 1).path("seq").asLong() + 1));
            }
            ws.expectSilence(300);
        }
    }

    private static Map<String, Object> word(String text) {
        return map("type", "assistant_message", "token", text, "is_final", false, "agent_name", "ask");
    }

    private static Map<String, Object> take(BlockingQueue<Map<String, Object>> steps) {
        try {
            return steps.poll(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
