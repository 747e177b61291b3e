package dev.codelab.agent;

import static dev.codelab.agent.AgentHarness.json;
import static dev.codelab.agent.AgentHarness.jsonLines;
import static dev.codelab.agent.AgentHarness.types;
import static dev.codelab.agent.HeldTurn.START;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.agent.FakeOpenAi.Reply;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * LLM_TIMEOUT with a 1 s {@code llm-timeout-seconds} and one retry: the proxy's own timeout answer is retried
 * once; silence inside a stream that had begun is not retried.
 */
class LlmTimeoutTest extends OneSessionTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, Map.of("agent-runtime.llm-timeout-seconds", "1", "agent-runtime.llm-max-retries", "1"));
    }

    @Test
    void theProxysOwnTimeoutAnswerIsLlmTimeoutToo() throws Exception {
        agent.llm.stream(Reply.status(504), Reply.status(504));

        List<JsonNode> events = agent.turn("u1", "s1", START);

        assertThat(events.subList(1, events.size()), is(jsonLines("""
                        {"type":"error","content":"The language model timed out: the LLM proxy answered HTTP 504",\
                        "error_code":"LLM_TIMEOUT"}
                        {"type":"done","reason":"error","resumable":true}
                        """)));
        assertThat(agent.llm.streamRequests().size(), is(2));
    }

    @Test
    void llmTimeoutAlsoBoundsSilenceInsideAStream() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        agent.llm.stream(Reply.textThenWait(release, "Work"));
        try {
            List<JsonNode> events = agent.turn("u1", "s1", START);

            assertThat(
                    types(events),
                    contains("agent_switched", "assistant_message", "assistant_message", "error", "done:error"));
            assertThat(events.get(3), is(json("""
                            {"type":"error","content":"The language model timed out:\
                             no answer from the LLM proxy within 1 s","error_code":"LLM_TIMEOUT"}\
                            """)));
            assertThat(agent.llm.streamRequests().size(), is(1));
        } finally {
            release.countDown();
        }
    }
}
