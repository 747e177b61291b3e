package dev.codelab.gateway;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/agents} is answered from the gateway's copy of the agent's last 200, failures are not kept. */
class AgentCatalogTest extends GatewayTestBase {

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws Exception {
        serve(server, Map.of());
    }

    @Test
    void theAgentListIsKeptButAFailureIsNot() throws Exception {
        String token = gateway.tokens.access("catalog-a");
        gateway.agent.forceStatus(500);
        assertThat(gateway.get("/api/v1/agents", token).statusCode(), is(502));

        gateway.agent.forceStatus(0);
        String first = gateway.get("/api/v1/agents", token).body();
        assertThat(gateway.agent.requests("GET", "/agents").size(), is(2));

        gateway.agent.stop();
        try {
            var kept = gateway.get("/api/v1/agents", token);
            assertThat(kept.statusCode(), is(200));
            assertThat(kept.headers().firstValue("Content-Type").orElse(""), is("application/json"));
            assertThat(kept.body(), is(first));
        } finally {
            gateway.agent.start();
        }
        assertThat(gateway.agent.requests("GET", "/agents").size(), is(2));
    }
}
