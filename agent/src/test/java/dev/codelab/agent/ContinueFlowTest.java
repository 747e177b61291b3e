package dev.codelab.agent;

import static dev.codelab.agent.AgentHarness.json;
import static dev.codelab.agent.AgentHarness.jsonLines;
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

/** {@code continue} after the model failed mid-answer (docs/agent.md, "Continue after a failure"). */
class ContinueFlowTest extends OneSessionTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, Map.of());
    }

    private static final String CONTINUE = """
            {"type":"continue"}\
            """;

    @Test
    void aStreamBrokenAfterAToolRanIsResumedWithThePartialAnswerAndWithoutRunningTheToolAgain() {
        agent.llm.stream(Reply.tool("", "call_1", "read_file", """
                        {"path":"a.txt"}\
                        """), Reply.textThenBreak("The file", " says"));
        agent.turn("u1", "s1", """
                {"type":"user_message","content":"Summarise a.txt"}\
                """);

        List<JsonNode> failed = agent.turn("u1", "s1", """
                        {"type":"tool_result","call_id":"call_1","result":"hello"}\
                        """);

        assertThat(failed.subList(failed.size() - 3, failed.size()), is(jsonLines("""
                        {"type":"assistant_message","token":"","is_final":true,"content":"The file says",\
                        "agent_name":"coder"}
                        {"type":"error","content":"The language model failed: the LLM stream ended before [DONE]",\
                        "error_code":"LLM_ERROR"}
                        {"type":"done","reason":"error","resumable":true}
                        """)));

        agent.llm.stream(Reply.text(" hello."));
        List<JsonNode> resumed = agent.turn("u1", "s1", CONTINUE);

        assertThat(types(resumed), contains("assistant_message", "assistant_message", "done:completed"));
        assertThat(resumed.get(1).path("content").asText(), is(" hello."));
        JsonNode request = agent.llm.streamRequests().getLast();
        JsonNode prompt = request.path("messages");
        assertThat(FakeOpenAi.roles(request), contains("system", "user", "assistant", "tool", "assistant", "user"));
        assertThat(prompt.get(3).path("content").asText(), is("hello"));
        assertThat(
                prompt.get(4).path("content").asText(),
                is("The file says\n[This answer was cut off here: the model provider failed.]"));
        assertThat(
                prompt.get(5).path("content").asText(),
                is("Your previous answer was cut off by a failure of the "
                        + "model provider. Continue it from where it stopped, without repeating what you already "
                        + "wrote; the "
                        + "tool calls above have already run."));

        JsonNode history = agent.getJson("/sessions/s1/history", "u1").path("messages");
        assertThat(history.size(), is(5));
        assertThat(history.get(3).path("content").asText(), is("The file says"));
        assertThat(history.get(3).path("status").asText(), is("error"));
        assertThat(history.get(4).path("content").asText(), is(" hello."));
        assertThat(history.get(4).has("status"), is(false));
        assertThat(agent.count("SELECT count(*) FROM turns WHERE session_id = 's1' AND state = 'completed'"), is(1L));
    }

    @Test
    void aFailureBeforeAnyTextIsResumableToo() {
        agent.llm.stream(Reply.status(500), Reply.status(500), Reply.status(500), Reply.status(500));
        List<JsonNode> failed = agent.turn("u1", "s1", """
                {"type":"user_message","content":"hello"}\
                """);
        assertThat(failed.getLast(), is(json("""
                {"type":"done","reason":"error","resumable":true}\
                """)));

        agent.llm.stream(Reply.text("Hi"));
        List<JsonNode> resumed = agent.turn("u1", "s1", CONTINUE);

        assertThat(types(resumed), contains("assistant_message", "assistant_message", "done:completed"));
        assertThat(FakeOpenAi.roles(agent.llm.streamRequests().getLast()), contains("system", "user"));
    }

    @Test
    void continueIsRefusedWhenTheLastTurnDidNotFail() {
        agent.llm.stream(Reply.text("Hi"));
        agent.turn("u1", "s1", """
                {"type":"user_message","content":"hello"}\
                """);

        var afterSuccess = agent.send("POST", "/agent/message/stream", "u1", """
                        {"session_id":"s1","message":%s}\
                        """.formatted(CONTINUE));

        assertThat(afterSuccess.statusCode(), is(400));
        assertThat(json(afterSuccess.body()), is(json("""
                        {"error":"nothing_to_continue","message":"Nothing to continue:\
                         the last turn did not end in a failure of the model","details":{}}\
                        """)));
    }

    @Test
    void aResumedTurnCannotBeContinuedTwiceNorAfterANewMessage() {
        agent.llm.stream(Reply.textThenBreak("Par"), Reply.text("tial"));
        agent.turn("u1", "s1", """
                {"type":"user_message","content":"hello"}\
                """);
        agent.turn("u1", "s1", CONTINUE);

        assertThat(
                agent.send("POST", "/agent/message/stream", "u1", """
                                        {"session_id":"s1","message":%s}\
                                        """.formatted(CONTINUE))
                        .statusCode(),
                is(400));

        agent.llm.stream(Reply.textThenBreak("Again"), Reply.text("fine"));
        agent.turn("u1", "s1", """
                {"type":"user_message","content":"more"}\
                """);
        agent.turn("u1", "s1", """
                {"type":"user_message","content":"never mind"}\
                """);
        assertThat(
                agent.send("POST", "/agent/message/stream", "u1", """
                                        {"session_id":"s1","message":%s}\
                                        """.formatted(CONTINUE))
                        .statusCode(),
                is(400));
    }
}
