package dev.codelab.agent;

import static dev.codelab.agent.SessionApiTest.assertError;
import static dev.codelab.agent.SessionApiTest.stream;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A session's explicit agent switches stop at {@code max-switches} (1 here). */
class SwitchLimitTest extends AgentServiceTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, Map.of("agent-runtime.max-switches", "1"));
    }

    @Test
    void switchLimitRefusesFurtherExplicitSwitches() throws Exception {
        agent.createSession("u1", "s1");
        agent.turn("u1", "s1", """
                {"type":"switch_agent","agent_type":"ask"}\
                """);

        assertError(stream("u1", "s1", """
                        {"type":"switch_agent","agent_type":"coder"}\
                        """), 409, "switch_limit_reached");
        assertThat(
                agent.getJson("/agents/s1/current", "u1").path("current_agent").asText(), is("ask"));
    }
}
