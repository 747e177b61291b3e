package dev.codelab.agent;

import static dev.codelab.agent.AgentHarness.json;
import static dev.codelab.agent.AgentHarness.types;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.agent.FakeOpenAi.Reply;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A cancel posted to another replica reaches the turn through the cancel poll (every 50 ms here).
 */
class CrossReplicaCancelTest extends OneSessionTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, Map.of("agent-runtime.cancel-poll-ms", "50"));
    }

    @Test
    void cancelPostedToAnotherReplicaStopsTheTurn() throws Exception {
        try (HeldTurn running = new HeldTurn(agent, release -> Reply.textThenWait(release, "Work"));
                AgentHarness other = agent.replica()) {
            List<JsonNode> cancel = other.turn("u1", "s1", """
                    {"type":"cancel"}\
                    """);

            assertThat(cancel, contains(json("""
                    {"type":"done","reason":"cancelled"}\
                    """)));
            assertThat(types(running.events()).getLast(), is("done:cancelled"));
        }
        assertThat(agent.count("SELECT count(*) FROM turns WHERE state = 'cancelled'"), is(1L));
    }
}
