package dev.codelab.agent;

import static dev.codelab.agent.AgentHarness.jsonLines;
import static dev.codelab.agent.HeldTurn.START;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.agent.FakeOpenAi.Reply;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A turn stops after {@code max-steps} LLM calls (3 here) and says so.
 */
class StepLimitTest extends OneSessionTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, Map.of("agent-runtime.max-steps", "3"));
    }

    @Test
    void stepLimitEndsTheTurnWithAnExplanationAndStepLimitReached() throws Exception {
        agent.llm.stream(
                Reply.tool("", "c1", "read_file", """
                        {"path":"../1"}\
                        """),
                Reply.tool("", "c2", "read_file", """
                        {"path":"../2"}\
                        """),
                Reply.tool("", "c3", "read_file", """
                        {"path":"../3"}\
                        """),
                Reply.text("never asked"));

        List<JsonNode> events = agent.turn("u1", "s1", START);

        assertThat(events.subList(1, events.size()), is(jsonLines("""
                        {"type":"assistant_message","token":"I stopped after 3 steps without finishing the task. Send\
                         a message to let me continue.","is_final":true,\
                        "content":"I stopped after 3 steps without finishing the task. Send a message to let me\
                         continue.","agent_name":"coder"}
                        {"type":"error","content":"I stopped after 3 steps without finishing the task. Send a message\
                         to let me continue.","error_code":"STEP_LIMIT_REACHED"}
                        {"type":"done","reason":"step_limit"}
                        """)));
        assertThat(agent.llm.streamRequests().size(), is(3));
        assertThat(agent.count("SELECT count(*) FROM turns WHERE state = 'step_limit' AND steps = 3"), is(1L));
    }
}
