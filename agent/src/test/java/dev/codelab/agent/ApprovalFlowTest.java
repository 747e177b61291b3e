package dev.codelab.agent;

import static dev.codelab.agent.AgentHarness.json;
import static dev.codelab.agent.AgentHarness.jsonLines;
import static dev.codelab.agent.AgentHarness.types;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.agent.FakeOpenAi.Reply;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApprovalFlowTest extends OneSessionTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, Map.of());
    }

    private static final String WRITE_ARGS = """
            {"path":"lib/w.dart","content":"x"}\
            """;
    private static final String APPROVAL_CALL = """
                    {"type":"tool_call","call_id":"call_w","tool_name":"write_file","arguments":%s,\
                    "requires_approval":true,"reason":"File modification requires user approval",\
                    "agent_name":"coder"}\
                    """.formatted(WRITE_ARGS);

    /** Runs the first turn up to the approval request and checks its events and the pending row. */
    private void askForWriteApproval() {
        agent.llm.stream(Reply.tool("", "call_w", "write_file", WRITE_ARGS));
        List<JsonNode> events = agent.turn("u1", "s1", """
                {"type":"user_message","content":"Create a widget"}\
                """);
        assertThat(events.subList(1, events.size()), contains(json(APPROVAL_CALL), json("""
                        {"type":"done","reason":"awaiting_approval"}\
                        """)));
        JsonNode pending = agent.getJson("/sessions/s1/pending-approvals", "u1");
        assertThat(pending.path("count").asInt(), is(1));
        JsonNode row = pending.path("pending_approvals").get(0);
        assertThat(row.path("call_id").asText(), is("call_w"));
        assertThat(row.path("tool_name").asText(), is("write_file"));
        assertThat(row.path("arguments"), is(json(WRITE_ARGS)));
        assertThat(row.path("reason").asText(), is("File modification requires user approval"));
        assertThat(row.path("created_at").asText().isEmpty(), is(false));
    }

    @Test
    void pendingApprovalIsCommittedBeforeTheToolCallEventLeaves() {
        agent.llm.stream(Reply.tool("", "call_w", "write_file", WRITE_ARGS));
        var res = agent.streamRequest("u1", "s1", """
                {"type":"user_message","content":"Create a widget"}\
                """);
        var lines = res.body().iterator();
        while (lines.hasNext()) {
            if (lines.next().contains("\"type\":\"tool_call\"")) {
                assertThat(agent.count("SELECT count(*) FROM pending_approvals WHERE status = 'pending'"), is(1L));
                break;
            }
        }
        lines.forEachRemaining(line -> {});
        assertThat(agent.count("SELECT count(*) FROM pending_approvals"), is(1L));
    }

    @Test
    void approveSendsTheSameCallWithoutApprovalThenTheResultContinuesTheTurn() {
        askForWriteApproval();

        List<JsonNode> approved = agent.turn("u1", "s1", """
                        {"type":"hitl_decision","call_id":"call_w","decision":"approve"}\
                        """);
        assertThat(approved, is(jsonLines("""
                        {"type":"tool_call","call_id":"call_w","tool_name":"write_file",\
                        "arguments":%s,"requires_approval":false,"agent_name":"coder"}
                        {"type":"done","reason":"awaiting_tool"}
                        """.formatted(WRITE_ARGS))));
        assertThat(
                agent.getJson("/sessions/s1/pending-approvals", "u1")
                        .path("count")
                        .asInt(),
                is(0));
        assertThat(agent.count("SELECT count(*) FROM pending_approvals WHERE status = 'approved'"), is(1L));

        agent.llm.stream(Reply.text("Written"));
        List<JsonNode> result = agent.turn("u1", "s1", """
                        {"type":"tool_result","call_id":"call_w","result":{"success":true}}\
                        """);
        assertThat(types(result), contains("assistant_message", "assistant_message", "done:completed"));
    }

    @Test
    void editRunsTheModifiedArgumentsAndHistoryShowsThem() {
        askForWriteApproval();
        String edited = """
                {"path":"lib/w2.dart","content":"y"}\
                """;

        List<JsonNode> events = agent.turn("u1", "s1", """
                        {"type":"hitl_decision","call_id":"call_w","decision":"edit","modified_arguments":%s}\
                        """.formatted(edited));

        assertThat(events, is(jsonLines("""
                        {"type":"tool_call","call_id":"call_w","tool_name":"write_file",\
                        "arguments":%s,"requires_approval":false,"agent_name":"coder"}
                        {"type":"done","reason":"awaiting_tool"}
                        """.formatted(edited))));
        assertThat(
                agent.count("SELECT count(*) FROM pending_approvals WHERE status = 'edited' "
                        + "AND modified_arguments->>'path' = 'lib/w2.dart'"),
                is(1L));

        agent.llm.stream(Reply.text("Written"));
        agent.turn("u1", "s1", """
                {"type":"tool_result","call_id":"call_w","result":{"success":true}}\
                """);
        JsonNode call = agent.llm
                .streamRequests()
                .get(1)
                .path("messages")
                .get(2)
                .path("tool_calls")
                .get(0);
        assertThat(json(call.path("function").path("arguments").asText()), is(json(edited)));
        JsonNode history =
                agent.getJson("/sessions/s1/history", "u1").path("messages").get(1);
        assertThat(
                json(history.path("tool_calls")
                        .get(0)
                        .path("function")
                        .path("arguments")
                        .asText()),
                is(json(edited)));
    }

    @Test
    void editWithInvalidArgumentsIsRefusedAndTheApprovalStaysPending() {
        askForWriteApproval();

        var res = agent.send("POST", "/agent/message/stream", "u1", """
                        {"session_id":"s1","message":{"type":"hitl_decision","call_id":"call_w","decision":"edit",\
                        "modified_arguments":{"path":"../etc/passwd","content":"y"}}}\
                        """);

        assertThat(res.statusCode(), is(400));
        assertThat(json(res.body()).path("error").asText(), is("invalid_field"));
        assertThat(
                agent.getJson("/sessions/s1/pending-approvals", "u1")
                        .path("count")
                        .asInt(),
                is(1));
    }

    @Test
    void rejectTellsTheModelAndTheTurnContinues() {
        askForWriteApproval();
        agent.llm.stream(Reply.text("OK, skipping"));

        List<JsonNode> events = agent.turn("u1", "s1", """
                        {"type":"hitl_decision","call_id":"call_w","decision":"reject","feedback":"not now"}\
                        """);

        assertThat(types(events), contains("assistant_message", "assistant_message", "done:completed"));
        JsonNode messages = agent.llm.streamRequests().get(1).path("messages");
        assertThat(messages.get(messages.size() - 1), is(json("""
                                        {"role":"tool","tool_call_id":"call_w",\
                                        "content":"rejected by the user: not now"}\
                                        """)));
        assertThat(
                agent.count("SELECT count(*) FROM pending_approvals WHERE status = 'rejected' "
                        + "AND feedback = 'not now'"),
                is(1L));
    }

    @Test
    void toolResultForAPendingCallCountsAsApproved() {
        askForWriteApproval();
        agent.llm.stream(Reply.text("Written"));

        List<JsonNode> events = agent.turn("u1", "s1", """
                        {"type":"tool_result","call_id":"call_w","result":{"success":true}}\
                        """);

        assertThat(types(events), contains("assistant_message", "assistant_message", "done:completed"));
        assertThat(agent.count("SELECT count(*) FROM pending_approvals WHERE status = 'approved'"), is(1L));
    }

    @Test
    void toolErrorForAPendingCallCountsAsRejected() {
        askForWriteApproval();
        agent.llm.stream(Reply.text("Understood"));

        agent.turn("u1", "s1", """
                {"type":"tool_result","call_id":"call_w","error":"Operation rejected"}\
                """);

        JsonNode messages = agent.llm.streamRequests().get(1).path("messages");
        assertThat(messages.get(messages.size() - 1).path("content").asText(), is("Error: Operation rejected"));
        assertThat(agent.count("SELECT count(*) FROM pending_approvals WHERE status = 'rejected'"), is(1L));
    }

    @Test
    void deniedCommandIsNeverSentAndTheModelIsTold() {
        agent.llm.stream(Reply.tool("", "call_x", "execute_command", """
                        {"command":"sudo rm -rf build"}\
                        """), Reply.text("I cannot do that"));

        List<JsonNode> events = agent.turn("u1", "s1", """
                {"type":"user_message","content":"Fix the build"}\
                """);

        assertThat(
                types(events), contains("agent_switched", "assistant_message", "assistant_message", "done:completed"));
        JsonNode messages = agent.llm.streamRequests().get(1).path("messages");
        assertThat(
                messages.get(messages.size() - 1).path("content").asText(),
                startsWith("Error: the approval policy refused this call: This command is not allowed"));
    }

    @Test
    void chainedCommandAsksWhenOnePartNeedsApproval() {
        agent.llm.stream(Reply.tool("", "call_a", "execute_command", """
                {"command":"git status && ls -la"}\
                """));
        List<JsonNode> allowed = agent.turn("u1", "s1", """
                {"type":"user_message","content":"Fix it"}\
                """);
        assertThat(allowed.get(1).path("requires_approval").asBoolean(), is(false));

        agent.llm.stream(Reply.tool("", "call_b", "execute_command", """
                {"command":"git status && make clean"}\
                """));
        List<JsonNode> asked = agent.turn("u1", "s1", """
                        {"type":"tool_result","call_id":"call_a","result":"clean"}\
                        """);
        assertThat(asked.getFirst().path("requires_approval").asBoolean(), is(true));
        assertThat(asked.getFirst().path("reason").asText(), is("Command execution requires user approval"));
        assertThat(types(asked), contains("tool_call", "done:awaiting_approval"));
    }

    @Test
    void toolResultWhileTheOrchestratorIsCurrentIsRoutedToASpecialist() {
        agent.llm.stream(Reply.tool("", "call_r", "read_file", """
                {"path":"a.txt"}\
                """), Reply.text("Explained"));
        agent.turn("u1", "s1", """
                {"type":"user_message","content":"Create docs"}\
                """);
        agent.turn("u1", "s1", """
                {"type":"switch_agent","agent_type":"orchestrator"}\
                """);
        agent.llm.classify(Reply.route("ask", "high", "explanation"));

        List<JsonNode> events = agent.turn("u1", "s1", """
                        {"type":"tool_result","call_id":"call_r","result":"text"}\
                        """);

        assertThat(
                types(events), contains("agent_switched", "assistant_message", "assistant_message", "done:completed"));
        assertThat(events.getFirst().path("to_agent").asText(), is("ask"));
        assertThat(
                agent.llm
                        .classifyRequests()
                        .get(1)
                        .path("messages")
                        .get(1)
                        .path("content")
                        .asText(),
                is("Create docs"));
    }

    @Test
    void pendingApprovalsSurviveARestart() {
        askForWriteApproval();

        agent.restart();

        assertThat(
                agent.getJson("/sessions/s1/pending-approvals", "u1")
                        .path("count")
                        .asInt(),
                is(1));
        List<JsonNode> approved = agent.turn("u1", "s1", """
                        {"type":"hitl_decision","call_id":"call_w","decision":"approve"}\
                        """);
        assertThat(types(approved), contains("tool_call", "done:awaiting_tool"));
    }

    @Test
    void restartBetweenToolCallAndToolResultLosesNothing() {
        agent.llm.stream(Reply.tool("Reading", "call_r", "read_file", """
                {"path":"a.txt"}\
                """));
        agent.turn("u1", "s1", """
                {"type":"user_message","content":"Create docs"}\
                """);

        agent.restart();
        agent.llm.stream(Reply.text("Got it"));
        List<JsonNode> events = agent.turn("u1", "s1", """
                        {"type":"tool_result","call_id":"call_r","result":{"content":"hello"}}\
                        """);

        assertThat(types(events), contains("assistant_message", "assistant_message", "done:completed"));
        assertThat(
                FakeOpenAi.roles(agent.llm.streamRequests().get(1)), contains("system", "user", "assistant", "tool"));
        assertThat(agent.count("SELECT steps FROM turns WHERE ended_at IS NOT NULL"), is(2L));
    }

    @Test
    void newUserMessageAnswersTheAbandonedCallAndExpiresItsApproval() {
        askForWriteApproval();
        agent.llm.stream(Reply.text("Fine"));

        agent.turn("u1", "s1", """
                {"type":"user_message","content":"Never mind, write docs"}\
                """);

        assertThat(
                FakeOpenAi.roles(agent.llm.streamRequests().get(1)),
                contains("system", "user", "assistant", "tool", "user"));
        assertThat(agent.count("SELECT count(*) FROM pending_approvals WHERE status = 'expired'"), is(1L));
    }
}
