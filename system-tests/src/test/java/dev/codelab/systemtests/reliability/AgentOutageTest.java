package dev.codelab.systemtests.reliability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.isIn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.testing.WsClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent runtime dies mid-turn and comes back (docs/reliability.md, Faults): the IDE gets {@code error} +
 * {@code done}, its socket stays open, and after the restart the conversation continues with everything that
 * was committed in the history.
 */
class AgentOutageTest {

    private static final Set<String> AGENT_DOWN = Set.of("AGENT_UNAVAILABLE", "AGENT_ERROR");

    private SystemStack stack;
    private String token;

    @BeforeEach
    void start() throws Exception {
        // Slow words, so that the turn is surely still streaming when the agent stops.
        stack = SystemStack.start(Map.of("LLM_PROXY__FAKE_DELAY_MS", "150"));
        token = stack.login(SystemStack.ALICE);
    }

    @AfterEach
    void stop() {
        stack.close();
    }

    @Test
    void agentStoppedMidTurnEndsTheTurnWithErrorAndTheConversationContinuesAfterARestart() throws Exception {
        String session = stack.newSession(token);
        try (WsClient ide = stack.connect(session, token)) {
            ide.send("{\"type\":\"user_message\",\"content\":\"please explain in many words what a monad is and "
                    + "why it matters\","
                    + "\"agent_type\":\"ask\"}");
            JsonNode first;
            do {
                first = ide.next();
            } while (!first.path("type").asText().equals("assistant_message"));

            stack.stopAgent();
            List<JsonNode> rest = ide.untilDone();
            JsonNode error = rest.stream()
                    .filter(f -> f.path("type").asText().equals("error"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no error frame: " + rest));
            assertThat(rest.toString(), error.path("error_code").asText(), isIn(AGENT_DOWN));
            assertThat(rest.toString(), rest.getLast().path("reason").asText(), is("error"));
            assertThat("socket open after the agent died", ide.isOpen(), is(true));

            // While it is down: the socket still answers, with the documented error.
            ide.send("""
                    {"type":"user_message","content":"are you there"}""");
            List<JsonNode> down = ide.untilDone();
            assertThat(down.toString(), down.getFirst().path("error_code").asText(), isIn(AGENT_DOWN));
            assertThat(down.toString(), down.getLast().path("reason").asText(), is("error"));
            HttpResponse<String> rest503 = stack.api("GET", "/api/v1/sessions/" + session, token, null);
            assertThat(rest503.body(), rest503.statusCode(), isIn(Set.of(502, 503)));
            FuzzTest.assertErrorBody(rest503.body(), Json.read(rest503.body()));

            stack.restartAgent();
            ide.send("""
                    {"type":"user_message","content":"hello again","agent_type":"ask"}""");
            List<JsonNode> again = ide.untilDone();
            assertThat(again.toString(), again.getLast().path("reason").asText(), is("completed"));
            assertThat(ide.isOpen(), is(true));
        }

        JsonNode history = Json.read(stack.api("GET", "/api/v1/sessions/" + session + "/history", token, null)
                .body());
        List<String> userTexts = new ArrayList<>();
        history.path("messages").forEach(m -> {
            if (m.path("role").asText().equals("user")) {
                userTexts.add(m.path("content").asText());
            }
        });
        assertThat(
                history.toString(),
                userTexts,
                is(List.of("please explain in many words what a monad is and why it matters", "hello again")));
        JsonNode last = history.path("messages").get(history.path("messages").size() - 1);
        assertThat(history.toString(), last.path("role").asText(), is("assistant"));
    }
}
