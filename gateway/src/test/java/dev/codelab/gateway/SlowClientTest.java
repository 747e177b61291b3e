package dev.codelab.gateway;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import dev.codelab.shared.testing.WsClient;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * A client that stops reading while the agent streams is closed with 1008 once it is more than
 * {@code ws-max-queued-frames} behind (here 4), instead of holding up the stream or the gateway's memory.
 */
class SlowClientTest extends GatewayTestBase {

    private static final int FRAMES = 400;

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws Exception {
        serve(server, Map.of("gateway.ws-max-queued-frames", "4"));
    }

    @Test
    void clientThatFallsBehindIsClosedWith1008() throws Exception {
        CountDownLatch streamed = new CountDownLatch(1);
        String chunk = "x".repeat(64 * 1024);
        gateway.agent.script((request, out) -> {
            for (int i = 0; i < FRAMES; i++) {
                out.event(map("type", "assistant_message", "token", chunk, "is_final", false, "agent_name", "coder"));
            }
            out.event(map("type", "done", "reason", "completed"));
            streamed.countDown();
        });
        String session = gateway.createSession("slow-user");
        try (WsClient ws = gateway.connect("/api/v1/ws/" + session, gateway.tokens.access("slow-user"))) {
            ws.send(map("type", "user_message", "content", "flood me"));
            ws.pause();
            await(streamed);
            ws.resume();
            int received = ws.drainUntilClosed();
            assertThat(ws.awaitClose(), is(1008));
            assertThat(received, lessThan(FRAMES + 1));
        }
    }
}
