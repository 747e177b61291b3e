package dev.codelab.agent;

import static dev.codelab.agent.AgentHarness.json;
import static dev.codelab.agent.AgentHarness.jsonLines;
import static dev.codelab.agent.AgentHarness.types;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.agent.FakeOpenAi.Reply;
import dev.codelab.shared.http.Json;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConversationFlowTest extends OneSessionTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, Map.of());
    }

    @Test
    void routingByTheLlmThenStreamedText() {
        agent.llm.classify(Reply.route("coder", "high", "code change")).stream(Reply.text("Hello", " world"));

        List<JsonNode> events = agent.turn("u1", "s1", """
                {"type":"user_message","content":"Create a widget"}\
                """);

        assertThat(events, is(jsonLines("""
                        {"type":"agent_switched","from_agent":"orchestrator","to_agent":"coder",\
                        "reason":"code change","confidence":"high","metadata":{"from_agent":"orchestrator",\
                        "to_agent":"coder","reason":"code change","confidence":"high"}}
                        {"type":"assistant_message","token":"Hello","is_final":false,"agent_name":"coder"}
                        {"type":"assistant_message","token":" world","is_final":false,"agent_name":"coder"}
                        {"type":"assistant_message","token":"","is_final":true,"content":"Hello world",\
                        "agent_name":"coder"}
                        {"type":"done","reason":"completed"}
                        """)));

        JsonNode routing = agent.llm.classifyRequests().getFirst();
        assertThat(routing.path("response_format").path("type").asText(), is("json_object"));
        assertThat(routing.has("tools"), is(false));
        assertThat(routing.path("messages").get(1).path("content").asText(), is("Create a widget"));

        JsonNode step = agent.llm.streamRequests().getFirst();
        assertThat(step.path("stream").asBoolean(), is(true));
        assertThat(step.path("stream_options").path("include_usage").asBoolean(), is(true));
        assertThat(
                toolNames(step),
                contains(
                        "read_file",
                        "edit_file",
                        "write_file",
                        "list_files",
                        "create_directory",
                        "execute_command",
                        "search_in_code",
                        "handoff",
                        "attempt_completion",
                        "ask_followup_question"));
        String system = step.path("messages").get(0).path("content").asText();
        assertThat(system, containsString("You are the Coder Agent"));
        assertThat(system, containsString("- ask_followup_question: "));
        assertThat(agent.llm.authHeaders().getFirst(), is(AgentHarness.KEY));

        assertThat(
                agent.count("SELECT count(*) FROM turns WHERE state = 'completed' AND steps = 1 "
                        + "AND tokens_in = 11 AND tokens_out = 7 AND ended_at IS NOT NULL"),
                is(1L));
        assertThat(agent.count("SELECT token_count FROM messages WHERE role = 'assistant'"), is(7L));

        JsonNode switches = agent.getJson("/sessions/s1/agent", "u1");
        assertThat(switches.path("current_agent").asText(), is("coder"));
        assertThat(switches.path("switch_count").asInt(), is(1));
        assertThat(switches.path("switch_history").get(0).path("confidence").asText(), is("high"));
    }

    @Test
    void routingFallsBackToKeywordsWhenTheClassificationFails() {
        agent.llm.classify(Reply.status(500), Reply.status(500), Reply.status(500), Reply.status(500)).stream(
                Reply.text("Looking"));

        List<JsonNode> events = agent.turn("u1", "s1", """
                        {"type":"user_message","content":"Why does it crash?"}\
                        """);

        assertThat(events.getFirst(), is(json("""
                        {"type":"agent_switched","from_agent":"orchestrator","to_agent":"debug",\
                        "reason":"Keyword match: why","confidence":"low","metadata":{"from_agent":"orchestrator",\
                        "to_agent":"debug","reason":"Keyword match: why","confidence":"low"}}\
                        """)));
        assertThat(agent.llm.classifyRequests().size(), is(4));
    }

    @Test
    void routingFallsBackToKeywordsWhenTheAnswerIsNonsense() {
        agent.llm.classify(Reply.content("""
                {"agent":"orchestrator"}\
                """)).stream(Reply.text("Sure"));

        List<JsonNode> events = agent.turn("u1", "s1", """
                        {"type":"user_message","content":"Please explain closures"}\
                        """);

        assertThat(events.getFirst().path("to_agent").asText(), is("ask"));
        assertThat(events.getFirst().path("confidence").asText(), is("low"));
        assertThat(
                types(events), contains("agent_switched", "assistant_message", "assistant_message", "done:completed"));
    }

    @Test
    void toolRoundTripAndHistoryIsExactlyWhatTheLlmSaw() {
        agent.llm.stream(Reply.tool("Let me look", "call_1", "read_file", """
                        {"path":"src/a.txt"}\
                        """), Reply.text("It says hi"));

        List<JsonNode> first = agent.turn("u1", "s1", """
                {"type":"user_message","content":"Create a summary"}\
                """);
        assertThat(
                types(first),
                contains(
                        "agent_switched", "assistant_message", "assistant_message", "tool_call", "done:awaiting_tool"));
        assertThat(first.get(3), is(json("""
                                        {"type":"tool_call","call_id":"call_1","tool_name":"read_file",\
                                        "arguments":{"path":"src/a.txt"},"requires_approval":false,\
                                        "agent_name":"coder"}\
                                        """)));

        List<JsonNode> second = agent.turn("u1", "s1", """
                        {"type":"tool_result","call_id":"call_1","result":{"content":"hi"}}\
                        """);
        assertThat(second, is(jsonLines("""
                        {"type":"assistant_message","token":"It says hi","is_final":false,"agent_name":"coder"}
                        {"type":"assistant_message","token":"","is_final":true,"content":"It says hi",\
                        "agent_name":"coder"}
                        {"type":"done","reason":"completed"}
                        """)));

        JsonNode history = agent.getJson("/sessions/s1/history", "u1");
        assertThat(history.path("message_count").asInt(), is(4));
        List<JsonNode> seen = new ArrayList<>();
        agent.llm.streamRequests().get(1).path("messages").forEach(seen::add);
        List<JsonNode> stored = new ArrayList<>();
        history.path("messages").forEach(m -> stored.add(asOpenAi(m)));
        assertThat(seen.subList(1, seen.size()), is(stored.subList(0, 3)));
        assertThat(stored.get(2), is(json("""
                        {"role":"tool","content":"{\\"content\\":\\"hi\\"}","tool_call_id":"call_1"}\
                        """)));
    }

    @Test
    void handOffPassesTheTaskToAnotherAgentInTheSameTurn() {
        agent.llm.classify(Reply.route("ask", "medium", "a question")).stream(
                Reply.tool("", "call_h", "handoff", """
                        {"agent":"coder","reason":"needs code"}\
                        """), Reply.text("Done"));

        List<JsonNode> events = agent.turn("u1", "s1", """
                {"type":"user_message","content":"Add a button"}\
                """);

        assertThat(
                types(events),
                contains(
                        "agent_switched",
                        "agent_switched",
                        "assistant_message",
                        "assistant_message",
                        "done:completed"));
        assertThat(events.get(1), is(json("""
                        {"type":"agent_switched","from_agent":"ask","to_agent":"coder","reason":"needs code",\
                        "confidence":"high","metadata":{"from_agent":"ask","to_agent":"coder","reason":"needs code",\
                        "confidence":"high"}}\
                        """)));
        JsonNode coderStep = agent.llm.streamRequests().get(1);
        assertThat(toolNames(coderStep).contains("write_file"), is(true));
        JsonNode last =
                coderStep.path("messages").get(coderStep.path("messages").size() - 1);
        assertThat(last.path("content").asText(), is("Handed off to the coder agent."));
        assertThat(agent.getJson("/agents/s1/current", "u1"), is(json("""
                        {"session_id":"s1","current_agent":"coder"}\
                        """)));
    }

    @Test
    void handOffToTheOrchestratorRoutesAgainAtOnce() {
        agent.llm.classify(Reply.route("ask", "high", "a question"), Reply.route("debug", "high", "a crash")).stream(
                Reply.tool("", "call_h", "handoff", """
                        {"agent":"orchestrator","reason":"not mine"}\
                        """), Reply.text("Investigating"));

        List<JsonNode> events = agent.turn("u1", "s1", """
                {"type":"user_message","content":"It fails"}\
                """);

        assertThat(
                types(events),
                contains(
                        "agent_switched",
                        "agent_switched",
                        "agent_switched",
                        "assistant_message",
                        "assistant_message",
                        "done:completed"));
        assertThat(events.get(1).path("to_agent").asText(), is("orchestrator"));
        assertThat(events.get(2).path("from_agent").asText(), is("orchestrator"));
        assertThat(events.get(2).path("to_agent").asText(), is("debug"));
        assertThat(events.get(3).path("agent_name").asText(), is("debug"));
        assertThat(
                agent.getJson("/sessions/s1/agent", "u1").path("switch_count").asInt(), is(3));
    }

    @Test
    void explicitSwitchesNeedNoLlmCall() {
        List<JsonNode> switched = agent.turn("u1", "s1", """
                        {"type":"switch_agent","agent_type":"architect","reason":"plan first"}\
                        """);
        assertThat(switched, is(jsonLines("""
                        {"type":"agent_switched","from_agent":"orchestrator","to_agent":"architect",\
                        "reason":"plan first","confidence":"high","metadata":{"from_agent":"orchestrator",\
                        "to_agent":"architect","reason":"plan first","confidence":"high"}}
                        {"type":"done","reason":"completed"}
                        """)));
        assertThat(agent.llm.streamRequests().size(), is(0));

        agent.llm.stream(Reply.text("Checking"));
        List<JsonNode> forced = agent.turn("u1", "s1", """
                        {"type":"user_message","content":"Look at this","agent_type":"debug"}\
                        """);
        assertThat(
                types(forced), contains("agent_switched", "assistant_message", "assistant_message", "done:completed"));
        assertThat(forced.getFirst().path("from_agent").asText(), is("architect"));
        assertThat(forced.getFirst().path("to_agent").asText(), is("debug"));
        assertThat(forced.getFirst().path("reason").asText(), is("User requested"));
        assertThat(agent.llm.classifyRequests().size(), is(0));
        assertThat(
                agent.getJson("/sessions/s1/agent", "u1").path("switch_history").size(), is(2));
    }

    @Test
    void askingForTheOrchestratorRoutesTheMessageAgain() {
        agent.llm.classify(Reply.route("ask", "high", "question"), Reply.route("architect", "medium", "design")).stream(
                Reply.text("One"), Reply.text("Two"));
        agent.turn("u1", "s1", """
                {"type":"user_message","content":"What is this"}\
                """);

        List<JsonNode> events = agent.turn("u1", "s1", """
                        {"type":"user_message","content":"Plan it","agent_type":"orchestrator"}\
                        """);

        assertThat(
                types(events),
                contains(
                        "agent_switched",
                        "agent_switched",
                        "assistant_message",
                        "assistant_message",
                        "done:completed"));
        assertThat(events.get(0).path("to_agent").asText(), is("orchestrator"));
        assertThat(events.get(1).path("to_agent").asText(), is("architect"));
        assertThat(events.get(1).path("confidence").asText(), is("medium"));
    }

    @Test
    void specialistStaysCurrentForTheNextMessage() {
        agent.llm.stream(Reply.text("One"), Reply.text("Two"));
        agent.turn("u1", "s1", """
                {"type":"user_message","content":"Write code"}\
                """);

        List<JsonNode> events = agent.turn("u1", "s1", """
                {"type":"user_message","content":"And more"}\
                """);

        assertThat(types(events), contains("assistant_message", "assistant_message", "done:completed"));
        assertThat(agent.llm.classifyRequests().size(), is(1));
    }

    @Test
    void attemptCompletionBecomesTheFinalMessage() {
        agent.llm.stream(Reply.tool("", "call_c", "attempt_completion", """
                {"result":"All done"}\
                """));

        List<JsonNode> events = agent.turn("u1", "s1", """
                {"type":"user_message","content":"Fix it"}\
                """);

        assertThat(events.subList(1, events.size()), is(jsonLines("""
                        {"type":"assistant_message","token":"All done","is_final":true,"content":"All done",\
                        "agent_name":"coder"}
                        {"type":"done","reason":"completed"}
                        """)));
    }

    @Test
    void aCompletionThatRepeatsTheStreamedTextIsNotShownTwice() {
        agent.llm.stream(Reply.tool("All done", "call_c", "attempt_completion", """
                {"result":"All done"}\
                """));

        List<JsonNode> events = agent.turn("u1", "s1", """
                {"type":"user_message","content":"Fix it"}\
                """);

        assertThat(
                types(events), contains("agent_switched", "assistant_message", "assistant_message", "done:completed"));
        assertThat(events.get(2), is(json("""
                        {"type":"assistant_message","token":"","is_final":true,"content":"All done",\
                        "agent_name":"coder"}\
                        """)));
    }

    @Test
    void followUpQuestionEndsTheTurnWithTheQuestion() {
        agent.llm.stream(Reply.tool("", "call_q", "ask_followup_question", """
                        {"question":"Which file?","options":["a.txt","b.txt"]}\
                        """));

        List<JsonNode> events = agent.turn("u1", "s1", """
                {"type":"user_message","content":"Fix it"}\
                """);

        assertThat(events.get(1).path("content").asText(), is("Which file?\n- a.txt\n- b.txt"));
        assertThat(types(events), contains("agent_switched", "assistant_message", "done:completed"));
    }

    @Test
    void sessionSystemPromptIsAppendedToTheAgentPrompt() {
        agent.send("POST", "/sessions", "u1", """
                {"session_id":"s2","system_prompt":"Answer in French."}\
                """);
        agent.llm.stream(Reply.text("Oui"));

        agent.turn("u1", "s2", """
                {"type":"user_message","content":"Write hello"}\
                """);

        String system = agent.llm
                .streamRequests()
                .getFirst()
                .path("messages")
                .get(0)
                .path("content")
                .asText();
        assertThat(system, containsString("You are the Coder Agent"));
        assertThat(system.endsWith("Answer in French."), is(true));
        assertThat(system, not(containsString("{{tools}}")));
    }

    private static List<String> toolNames(JsonNode request) {
        List<String> names = new ArrayList<>();
        request.path("tools")
                .forEach(t -> names.add(t.path("function").path("name").asText()));
        return names;
    }

    /** A history entry as the OpenAI message it stands for. */
    private static JsonNode asOpenAi(JsonNode entry) {
        ObjectNode message = Json.MAPPER.createObjectNode();
        message.put("role", entry.path("role").asText());
        String content = entry.path("content").asText();
        if (!content.isEmpty() || !entry.has("tool_calls")) {
            message.put("content", content);
        }
        if (entry.has("tool_calls")) {
            message.set("tool_calls", entry.get("tool_calls"));
        }
        if (entry.has("tool_call_id")) {
            message.put("tool_call_id", entry.get("tool_call_id").asText());
        }
        return message;
    }
}
