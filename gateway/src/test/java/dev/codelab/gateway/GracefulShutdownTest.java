package dev.codelab.gateway;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.codelab.gateway.support.GatewayHarness;
import dev.codelab.shared.testing.WsClient;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Shutdown lets a running turn finish, refuses new upgrades meanwhile, then closes sockets with 1001.
 */
class GracefulShutdownTest extends GatewayTestBase {

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws Exception {
        serve(server, Map.of());
    }

    @Test
    void runningTurnFinishesThenSocketsCloseGoingAway() throws Exception {
        CountDownLatch streaming = new CountDownLatch(1);
        gateway.agent.script((request, out) -> {
            out.event(map("type", "assistant_message", "token", "Almost", "is_final", false, "agent_name", "coder"));
            streaming.countDown();
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.event(json("""
                    {"type":"assistant_message","token":" done","is_final":true,"content":"Almost done",\
                    "agent_name":"coder"}"""));
            out.event(map("type", "done", "reason", "completed"));
        });
        String session = gateway.createSession("shutdown-user");
        String token = gateway.tokens.access("shutdown-user");
        WsClient ws = gateway.connect("/api/v1/ws/" + session, token);
        ws.send(map("type", "user_message", "content", "finish please"));
        assertThat(streaming.await(10, TimeUnit.SECONDS), is(true));
        Thread stopper = Thread.ofVirtual().start(gateway::stopGateway);
        Thread.sleep(200);
        GatewayHarness.RawResponse refused =
                gateway.upgrade("/api/v1/ws/" + session, Map.of("Authorization", "Bearer " + token));
        assertThat(refused.status(), is(503));
        assertThat(refused.json().get("error").asText(), is("service_unavailable"));
        assertThat(ws.untilDone().getLast().get("reason").asText(), is("completed"));
        assertThat(ws.awaitClose(), is(1001));
        stopper.join(10_000);
    }
}
