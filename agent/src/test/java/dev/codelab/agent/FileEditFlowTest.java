package dev.codelab.agent;

import static dev.codelab.agent.AgentHarness.json;
import static dev.codelab.agent.AgentHarness.jsonLines;
import static dev.codelab.agent.AgentHarness.types;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.agent.FakeOpenAi.Reply;
import dev.codelab.shared.http.Json;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code edit_file} as the runtime composes it (docs/agent.md, "Editing files"): a {@code read_file} the IDE runs
 * without approval, the edits applied here, one {@code write_file} with its diff through the approval path, and
 * exactly one result for the model's call.
 */
class FileEditFlowTest extends OneSessionTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, Map.of());
    }

    private static final String FILE = "line one\nhello world\nline three\n";
    private static final String EDIT_ARGS = """
                    {"path":"a.txt","edits":[{"old_text":"hello world","new_text":"hello there"}]}\
                    """;
    private static final String READ_CALL = """
                    {"type":"tool_call","call_id":"call_e.read","tool_name":"read_file",\
                    "arguments":{"path":"a.txt"},"requires_approval":false,"agent_name":"coder"}\
                    """;
    private static final String WRITE_ARGS = """
                    {"path":"a.txt","content":"line one\\nhello there\\nline three\\n"}\
                    """;
    private static final String DIFF =
            "--- a/a.txt\n+++ b/a.txt\n@@ -1,3 +1,3 @@\n line one\n-hello world\n+hello there\n line three\n";

    private List<JsonNode> send(String frame) {
        return agent.turn("u1", "s1", frame);
    }

    private void startEdit(String arguments) {
        agent.llm.stream(Reply.tool("", "call_e", "edit_file", arguments));
        List<JsonNode> events = send("""
                {"type":"user_message","content":"Change the greeting"}\
                """);
        assertThat(
                events.subList(1, events.size()),
                contains(
                        json(READ_CALL.replace(
                                "a.txt", json(arguments).path("path").asText())),
                        json("""
                                {"type":"done","reason":"awaiting_tool"}\
                                """)));
    }

    private List<JsonNode> readResult(String content) {
        return send("""
                {"type":"tool_result","call_id":"call_e.read","result":{"path":"a.txt","content":%s,\
                "encoding":"utf-8"}}\
                """.formatted(Json.write(Json.MAPPER.getNodeFactory().textNode(content))));
    }

    /** The contents of the tool messages the model has been sent, in order. */
    private List<String> toolResultsSeenByTheModel() {
        JsonNode last = agent.llm.streamRequests().getLast().path("messages");
        List<String> results = new java.util.ArrayList<>();
        last.forEach(m -> {
            if (m.path("role").asText().equals("tool")) {
                results.add(m.path("tool_call_id").asText() + ": "
                        + m.path("content").asText());
            }
        });
        return results;
    }

    @Test
    void readEditWriteWithTheDiffThroughTheApprovalThenOneResultForTheModel() {
        startEdit(EDIT_ARGS);

        List<JsonNode> write = readResult(FILE);
        assertThat(
                write,
                contains(
                        json("""
                                {"type":"tool_call","call_id":"call_e.write","tool_name":"write_file",\
                                "arguments":%s,"diff":%s,"requires_approval":true,\
                                "reason":"File modification requires user approval","agent_name":"coder"}\
                                """.formatted(
                                        WRITE_ARGS,
                                        Json.write(Json.MAPPER.getNodeFactory().textNode(DIFF)))),
                        json("""
                                {"type":"done","reason":"awaiting_approval"}\
                                """)));
        JsonNode pending = agent.getJson("/sessions/s1/pending-approvals", "u1")
                .path("pending_approvals")
                .get(0);
        assertThat(pending.path("call_id").asText(), is("call_e.write"));
        assertThat(pending.path("diff").asText(), is(DIFF));

        List<JsonNode> approved = send("""
                        {"type":"hitl_decision","call_id":"call_e.write","decision":"approve"}\
                        """);
        assertThat(
                approved,
                contains(
                        json("""
                                {"type":"tool_call","call_id":"call_e.write","tool_name":"write_file",\
                                "arguments":%s,"diff":%s,"requires_approval":false,"agent_name":"coder"}\
                                """.formatted(
                                        WRITE_ARGS,
                                        Json.write(Json.MAPPER.getNodeFactory().textNode(DIFF)))),
                        json("""
                                {"type":"done","reason":"awaiting_tool"}\
                                """)));

        agent.llm.stream(Reply.text("Changed"));
        List<JsonNode> done = send("""
                        {"type":"tool_result","call_id":"call_e.write","result":{"success":true}}\
                        """);
        assertThat(types(done), contains("assistant_message", "assistant_message", "done:completed"));
        assertThat(toolResultsSeenByTheModel(), contains("call_e: Edited a.txt (1 edit applied): {\"success\":true}"));
        assertThat(agent.count("SELECT count(*) FROM file_edits"), is(0L));
        assertThat(agent.count("SELECT count(*) FROM messages WHERE role = 'tool'"), is(1L));
    }

    @Test
    void anOldTextThatIsNotFoundGoesBackToTheModelWithTheClosestLinesAndNothingIsWritten() {
        startEdit("""
                {"path":"a.txt","edits":[{"old_text":"helo world","new_text":"x"}]}\
                """);
        agent.llm.stream(Reply.text("I will read it again"));

        List<JsonNode> events = readResult(FILE);

        assertThat(types(events), contains("assistant_message", "assistant_message", "done:completed"));
        assertThat(
                toolResultsSeenByTheModel(),
                contains("call_e: Error: edit_file changed nothing in a.txt: "
                        + "old_text was not found in the file (it must match exactly, including whitespace and "
                        + "indentation). "
                        + "The most similar lines (2-2) are:\n2: hello world\n"
                        + "Copy old_text exactly from the file (without the line numbers) and try again."));
        assertThat(agent.count("SELECT count(*) FROM pending_approvals"), is(0L));
        assertThat(agent.count("SELECT count(*) FROM file_edits"), is(0L));
    }

    @Test
    void aFileTheIdeCannotReadIsTheModelsErrorToo() {
        startEdit(EDIT_ARGS);
        agent.llm.stream(Reply.text("ok"));

        send("""
                {"type":"tool_result","call_id":"call_e.read","error":"File not found: a.txt"}\
                """);

        assertThat(
                toolResultsSeenByTheModel(),
                contains("call_e: Error: cannot read a.txt: File not found: a.txt. To create a new file use "
                        + "write_file."));
    }

    @Test
    void theModelsOwnCallIdIsNotTheOneAwaitedWhileTheIdeReads() {
        startEdit(EDIT_ARGS);

        var res = agent.send("POST", "/agent/message/stream", "u1", """
                        {"session_id":"s1","message":{"type":"tool_result","call_id":"call_e","result":"x"}}\
                        """);

        assertThat(res.statusCode(), is(400));
        assertThat(json(res.body()).path("error").asText(), is("invalid_call_id"));
    }

    @Test
    void aRestartBetweenTheReadAndItsResultLosesNothing() {
        startEdit(EDIT_ARGS);
        agent.restart();

        List<JsonNode> write = readResult(FILE);

        assertThat(types(write), contains("tool_call", "done:awaiting_approval"));
        assertThat(write.getFirst().path("call_id").asText(), is("call_e.write"));
    }

    @Test
    void aRejectedWriteTellsTheModelAndEndsTheEdit() {
        startEdit(EDIT_ARGS);
        readResult(FILE);
        agent.llm.stream(Reply.text("Understood"));

        send("""
                        {"type":"hitl_decision","call_id":"call_e.write","decision":"reject","feedback":"keep it"}\
                        """);

        assertThat(toolResultsSeenByTheModel(), contains("call_e: rejected by the user: keep it"));
        assertThat(agent.count("SELECT count(*) FROM pending_approvals WHERE status = 'rejected'"), is(1L));
        assertThat(agent.count("SELECT count(*) FROM file_edits"), is(0L));
    }

    @Test
    void aWriteTheUserEditedIsReportedToTheModelAsSuch() {
        startEdit(EDIT_ARGS);
        readResult(FILE);
        String edited = """
                {"path":"a.txt","content":"mine\\n"}\
                """;

        List<JsonNode> events = send("""
                {"type":"hitl_decision","call_id":"call_e.write","decision":"edit","modified_arguments":%s}\
                """.formatted(edited));
        assertThat(events, is(jsonLines("""
                        {"type":"tool_call","call_id":"call_e.write","tool_name":"write_file",\
                        "arguments":%s,"requires_approval":false,"agent_name":"coder"}
                        {"type":"done","reason":"awaiting_tool"}
                        """.formatted(edited))));
        agent.llm.stream(Reply.text("ok"));
        send("""
                {"type":"tool_result","call_id":"call_e.write","result":{"success":true}}\
                """);

        assertThat(
                toolResultsSeenByTheModel(),
                contains("call_e: Edited a.txt (1 edit applied; the user changed the "
                        + "content before it was written: read_file it before editing it again): {\"success\":true}"));
        JsonNode call = agent.getJson("/sessions/s1/history", "u1")
                .path("messages")
                .get(1)
                .path("tool_calls")
                .get(0);
        assertThat(
                "the model's own call stays as it made it",
                json(call.path("function").path("arguments").asText()),
                is(json(EDIT_ARGS)));
    }

    @Test
    void aNewUserMessageMidEditAnswersTheCallAndForgetsTheEdit() {
        startEdit(EDIT_ARGS);
        agent.llm.stream(Reply.text("Hi"));

        send("""
                {"type":"user_message","content":"never mind"}\
                """);

        assertThat(toolResultsSeenByTheModel(), contains("call_e: Not executed: the user sent a new message instead."));
        assertThat(agent.count("SELECT count(*) FROM file_edits"), is(0L));
    }

    @Test
    void aWriteFileOverAFileReadInThisTurnCarriesItsDiff() {
        agent.llm.stream(
                Reply.tool("", "call_r", "read_file", """
                        {"path":"a.txt"}\
                        """), Reply.tool("", "call_w", "write_file", WRITE_ARGS));
        send("""
                {"type":"user_message","content":"Change the greeting"}\
                """);

        List<JsonNode> write =
                send("""
                {"type":"tool_result","call_id":"call_r","result":{"content":%s}}\
                """.formatted(Json.write(Json.MAPPER.getNodeFactory().textNode(FILE))));

        assertThat(types(write), contains("tool_call", "done:awaiting_approval"));
        assertThat(write.getFirst().path("diff").asText(), is(DIFF));
    }

    @Test
    void aWriteFileWithoutAKnownOldContentHasNoDiff() {
        agent.llm.stream(
                Reply.tool("", "call_r", "read_file", """
                        {"path":"a.txt"}\
                        """),
                Reply.tool("", "call_c", "execute_command", """
                        {"command":"ls"}\
                        """),
                Reply.tool("", "call_w", "write_file", WRITE_ARGS));
        send("""
                {"type":"user_message","content":"Change the greeting"}\
                """);
        send("""
                {"type":"tool_result","call_id":"call_r","result":{"content":"x"}}\
                """);

        List<JsonNode> afterCommand = send("""
                {"type":"tool_result","call_id":"call_c","result":"ok"}\
                """);

        assertThat(
                "a command may have changed the file since it was read",
                afterCommand.getFirst().has("diff"),
                is(false));
        assertThat(afterCommand.getFirst().path("tool_name").asText(), is("write_file"));
    }

    @Test
    void editFileIsTheCodersAlone() {
        agent.llm.stream(Reply.tool("", "call_x", "edit_file", EDIT_ARGS), Reply.text("ok"));

        List<JsonNode> events = send("""
                {"type":"user_message","content":"hi","agent_type":"debug"}\
                """);

        assertThat(
                events.stream()
                        .filter(e -> e.path("type").asText().equals("error"))
                        .map(e -> e.path("error_code").asText() + ": "
                                + e.path("content").asText())
                        .toList(),
                contains("TOOL_NOT_ALLOWED: Tool 'edit_file' is not allowed for Debug Agent. Allowed tools: read_file, "
                        + "list_files, search_in_code, execute_command, handoff, attempt_completion, "
                        + "ask_followup_question."));
    }
}
