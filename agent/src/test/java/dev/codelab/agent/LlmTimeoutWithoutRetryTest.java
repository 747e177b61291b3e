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
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * A proxy that does not answer at all: with a 1 s {@code llm-timeout-seconds} and no retries the turn ends after one
 * timeout.
 */
class LlmTimeoutWithoutRetryTest extends OneSessionTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, Map.of("agent-runtime.llm-timeout-seconds", "1", "agent-runtime.llm-max-retries", "0"));
    }

    @Test
    void llmTimeoutBoundsTheWaitForTheProxysAnswer() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        agent.llm.stream(Reply.silentUntil(release));
        try {
            List<JsonNode> events = agent.turn("u1", "s1", START);

            assertThat(events.subList(1, events.size()), is(jsonLines("""
                            {"type":"error","content":"The language model timed out:\
                             no answer from the LLM proxy within 1 s","error_code":"LLM_TIMEOUT"}
                            {"type":"done","reason":"error","resumable":true}
                            """)));
        } finally {
            release.countDown();
        }
    }
}
