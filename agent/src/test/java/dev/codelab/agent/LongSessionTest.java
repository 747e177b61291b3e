package dev.codelab.agent;

import static dev.codelab.agent.AgentHarness.types;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.agent.FakeOpenAi.Reply;
import dev.codelab.shared.http.Json;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A scripted 200-turn coding session with large tool results (up to 12 000 characters, more than the window's
 * share for one result) against a model with an 8 000-token window: no prompt ever passes the window less the
 * answer's reserve, and every prompt starts with the user's first instruction, verbatim.
 */
class LongSessionTest extends OneSessionTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, Map.of());
    }

    static final int WINDOW = 8_000;
    static final int MAX_OUTPUT = 1_000;
    static final int TURNS = 200;
    static final String FIRST = "Port the build to Gradle. Standing rule: keep every public API unchanged.";

    @Test
    void twoHundredTurnsNeverPassTheWindowAndKeepTheFirstInstructionInEveryPrompt() {
        agent.llm.window(WINDOW, MAX_OUTPUT).reportPromptTokens(ContextCondensingTest::estimate);
        for (int i = 0; i < TURNS; i++) {
            agent.llm.summarise(Reply.content("## Goals and standing instructions\n- keep every public API unchanged\n"
                    + "## Files\n- read up to f" + i));
        }
        int condensings = 0;
        for (int turn = 1; turn <= TURNS; turn++) {
            agent.llm.stream(
                    Reply.tool(
                            "Reading.",
                            "call_" + turn,
                            turn % 3 == 0 ? "execute_command" : "read_file",
                            turn % 3 == 0 ? """
                                    {"command":"ls -R"}\
                                    """ : "{\"path\":\"src/f" + turn + ".java\"}"),
                    Reply.text("Step " + turn + " done."));
            String message = turn == 1 ? FIRST : "Continue with module " + turn;
            List<JsonNode> asked = agent.turn("u1", "s1", """
                            {"type":"user_message","content":%s}\
                            """.formatted(Json.write(message)));
            assertThat(types(asked).getLast(), is("done:awaiting_tool"));
            int size = 500 + (turn * 7919) % 12_000;
            List<JsonNode> answered = agent.turn(
                    "u1",
                    "s1",
                    "{\"type\":\"tool_result\",\"call_id\":\"call_" + turn + "\",\"result\":"
                            + Json.write(("// line of f" + turn + "\n").repeat(size / 14 + 1)) + "}");
            assertThat(types(answered).getLast(), is("done:completed"));
            condensings += (int) Stream.concat(asked.stream(), answered.stream())
                    .filter(e -> e.path("type").asText().equals("context_condensed"))
                    .peek(e -> assertThat(e.path("method").asText(), is("summary")))
                    .count();
        }

        List<JsonNode> prompts = agent.llm.streamRequests();
        assertThat(prompts.size(), is(2 * TURNS));
        for (JsonNode prompt : prompts) {
            assertThat(ContextCondensingTest.estimate(prompt), lessThanOrEqualTo(WINDOW - MAX_OUTPUT));
            assertThat(prompt.path("messages").get(1).path("content").asText(), is(FIRST));
        }
        for (JsonNode summary : agent.llm.summaryRequests()) {
            assertThat(
                    ContextCondensingTest.estimate(summary)
                            + summary.path("max_tokens").asInt(),
                    lessThanOrEqualTo(WINDOW));
        }
        assertThat(condensings, greaterThan(TURNS / 10));
        assertThat(agent.llm.summaryRequests().size(), is(condensings));
        assertThat(
                agent.getJson("/sessions/s1/history?limit=1000", "u1")
                        .path("messages")
                        .size(),
                is(4 * TURNS));
    }
}
