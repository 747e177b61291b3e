package dev.codelab.agent;

import static dev.codelab.agent.AgentHarness.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code /ready} checks the database and the LLM proxy; the test stops the fake LLM, so it has a runtime of its
 * own.
 */
class ReadinessTest extends AgentServiceTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, Map.of());
    }

    @Test
    void readinessChecksTheDatabaseAndTheLlmProxy() {
        assertThat(agent.getJson("/ready", "u1"), is(json("""
                        {"status":"ready","checks":{"database":"up","llm_proxy":"up"}}\
                        """)));

        agent.llm.close();
        HttpResponse<String> res = agent.send("GET", "/ready", "u1", null);
        assertThat(res.statusCode(), is(503));
        assertThat(json(res.body()).path("checks").path("llm_proxy").asText(), is("down"));
    }
}
