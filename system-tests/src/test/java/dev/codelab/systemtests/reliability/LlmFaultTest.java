package dev.codelab.systemtests.reliability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.testing.WsClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The LLM provider fails, hangs or cuts its stream (docs/reliability.md, Faults), seen from the IDE through the real
 * gateway, agent runtime and llmproxy: retries where nothing was streamed yet, otherwise a clean {@code error}
 * + {@code done} with the socket open, and the next turn works once the provider does.
 */
class LlmFaultTest {

    private static MisbehavingLlm upstream;
    private static SystemStack stack;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        upstream = MisbehavingLlm.start();
        Path dir = Files.createTempDirectory("codelab-llm-fault");
        stack = SystemStack.start(Map.of(
                "FLAKY_KEY", "not-a-real-key",
                "LLM_PROXY__MODELS_FILE", upstream.modelsFile(dir).toString(),
                "LLM_PROXY__DEFAULT_MODEL", "flaky",
                "LLM_PROXY__MAX_RETRIES", "1",
                "LLM_PROXY__RETRY_BASE_DELAY_MS", "10",
                "LLM_PROXY__RETRY_MAX_DELAY_MS", "20",
                "LLM_PROXY__COOLDOWN_FAILURES", "1000",
                "AGENT_RUNTIME__LLM_MAX_RETRIES", "1",
                "AGENT_RUNTIME__LLM_RETRY_BASE_MS", "10",
                "AGENT_RUNTIME__LLM_RETRY_MAX_MS", "20"));
        token = stack.login(SystemStack.ALICE);
    }

    @AfterAll
    static void stop() {
        stack.close();
        upstream.close();
    }

    @Test
    void aProviderThatAnswers500IsRetriedThenEndsTheTurnCleanly() throws Exception {
        upstream.mode(MisbehavingLlm.Mode.FAIL);
        try (WsClient ide = socket()) {
            List<JsonNode> turn = ask(ide);
            assertFailedCleanly(ide, turn, "LLM_ERROR");
            assertThat("retried", upstream.requests(), greaterThan(1));
            recovers(ide);
        }
    }

    @Test
    void oneFailureBeforeStreamingIsRetriedAndTheIdeSeesNoError() throws Exception {
        upstream.mode(MisbehavingLlm.Mode.FAIL_ONCE);
        try (WsClient ide = socket()) {
            List<JsonNode> turn = ask(ide);
            assertThat(turn.toString(), turn.getLast().path("reason").asText(), is("completed"));
            assertThat(
                    turn.toString(),
                    turn.stream().noneMatch(f -> f.path("type").asText().equals("error")),
                    is(true));
        }
    }

    @Test
    void aHangingProviderTimesOutWithLlmTimeout() throws Exception {
        upstream.mode(MisbehavingLlm.Mode.HANG);
        try (WsClient ide = socket()) {
            assertFailedCleanly(ide, ask(ide), "LLM_TIMEOUT");
            recovers(ide);
        }
    }

    @Test
    void aStreamCutMidwayKeepsThePartialTextAndEndsWithAnError() throws Exception {
        upstream.mode(MisbehavingLlm.Mode.CUT);
        try (WsClient ide = socket()) {
            List<JsonNode> turn = ask(ide);
            assertFailedCleanly(ide, turn, "LLM_ERROR");
            assertThat(
                    turn.toString(),
                    turn.stream()
                            .anyMatch(f -> f.path("type").asText().equals("assistant_message")
                                    && f.path("token").asText().contains("Partial")),
                    is(true));
            recovers(ide);
        }
    }

    @Test
    void aStreamCutMidwayIsResumableAndContinueFinishesItWithThePartialAnswerInThePrompt() throws Exception {
        upstream.mode(MisbehavingLlm.Mode.CUT);
        try (WsClient ide = socket()) {
            List<JsonNode> turn = ask(ide);
            assertThat(turn.toString(), withoutSeq(turn.getLast()), is(Json.read("""
                            {"type":"done","reason":"error","resumable":true}""")));

            upstream.mode(MisbehavingLlm.Mode.OK);
            ide.send("""
                    {"type":"continue"}""");
            List<JsonNode> resumed = ide.untilDone();

            assertThat(resumed.toString(), resumed.getLast().path("reason").asText(), is("completed"));
            JsonNode messages = upstream.bodies().getLast().path("messages");
            assertThat(
                    messages.get(messages.size() - 2).path("content").asText(),
                    is("Partial text\n[This answer was cut off here: the model provider failed.]"));
            assertThat(messages.get(messages.size() - 1).path("role").asText(), is("user"));
            ide.send("""
                    {"type":"continue"}""");
            assertThat(
                    withoutSeq(ide.next()),
                    is(Json.read("{\"type\":\"error\",\"content\":\"Nothing to continue: "
                            + "the last turn did not end in a failure of the "
                            + "model\",\"error_code\":\"NOTHING_TO_CONTINUE\"}")));
        }
    }

    @Test
    void condenseSummarisesTheOlderConversationThroughTheWholeStack() throws Exception {
        upstream.mode(MisbehavingLlm.Mode.OK);
        try (WsClient ide = socket()) {
            ide.send("""
                    {"type":"condense"}""");
            assertThat(withoutSeq(ide.next()).path("error_code").asText(), is("NOTHING_TO_CONDENSE"));
            // the model's window is the registry's default 8 192 tokens, of which condensing keeps the newest 2 048:
            // of two long questions it keeps only the last answer
            for (int i = 0; i < 2; i++) {
                ide.send(Json.write(Json.MAPPER
                        .createObjectNode()
                        .put("type", "user_message")
                        .put("content", "what is a monad " + "really ".repeat(1_300))
                        .put("agent_type", "ask")));
                assertThat(ide.untilDone().getLast().path("reason").asText(), is("completed"));
            }

            ide.send("""
                    {"type":"condense"}""");
            List<JsonNode> condensed = ide.untilDone();

            assertThat(
                    condensed.toString(),
                    condensed.stream().map(LlmFaultTest::withoutSeq).toList(),
                    contains(
                            Json.read("{\"type\":\"context_condensed\",\"trigger\":\"manual\",\"method\":\"summary\","
                                    + "\"tokens_before\":"
                                    + condensed.getFirst().path("tokens_before").asInt()
                                    + ",\"tokens_after\":"
                                    + condensed.getFirst().path("tokens_after").asInt()
                                    + ",\"messages_summarised\":2}"),
                            Json.read("""
                                    {"type":"done","reason":"completed"}""")));
            assertThat(upstream.bodies().getLast().path("stream").asBoolean(false), is(false));
            ask(ide);
            assertThat(
                    upstream.bodies()
                            .getLast()
                            .path("messages")
                            .get(2)
                            .path("content")
                            .asText(),
                    is("[Summary of the conversation after my first message (messages 2-3), condensed to fit the "
                            + "context window]\n\n- the user asks about monads"));
        }
    }

    @Test
    void aModelCallingAToolItsAgentMayNotUseIsReportedEachTimeUntilTheStepLimitEndsTheTurn() throws Exception {
        upstream.mode(MisbehavingLlm.Mode.WRITE_FILE);
        try (WsClient ide = socket()) {
            List<JsonNode> turn = ask(ide);

            String notAllowed = "{\"type\":\"error\",\"content\":\"Tool 'write_file' is not allowed for Ask Agent. "
                    + "Allowed tools: read_file, list_files, search_in_code, handoff, attempt_completion.\","
                    + "\"error_code\":\"TOOL_NOT_ALLOWED\"}";
            String limit = "I stopped after 25 steps without finishing the task. Send a message to let me continue.";
            List<JsonNode> frames = turn.stream().map(LlmFaultTest::withoutSeq).toList();
            assertThat(turn.toString(), frames.subList(1, 26), everyItem(is(Json.read(notAllowed))));
            assertThat(
                    turn.toString(),
                    frames.subList(26, frames.size()),
                    contains(
                            Json.read("{\"type\":\"assistant_message\",\"token\":\"" + limit + "\",\"is_final\":true,"
                                    + "\"content\":\"" + limit + "\",\"agent_name\":\"ask\"}"),
                            Json.read("{\"type\":\"error\",\"content\":\"" + limit
                                    + "\",\"error_code\":\"STEP_LIMIT_REACHED\"}"),
                            Json.read("""
                                    {"type":"done","reason":"step_limit"}""")));
            assertThat(upstream.requests(), is(25));
            assertThat(ide.isOpen(), is(true));
            recovers(ide);
        }
    }

    private static JsonNode withoutSeq(JsonNode frame) {
        ObjectNode copy = frame.deepCopy();
        copy.remove("seq");
        return copy;
    }

    private static WsClient socket() throws Exception {
        return stack.connect(stack.newSession(token), token);
    }

    private static List<JsonNode> ask(WsClient ide) throws Exception {
        ide.send("""
                {"type":"user_message","content":"what is a monad","agent_type":"ask"}""");
        return ide.untilDone();
    }

    private static void assertFailedCleanly(WsClient ide, List<JsonNode> turn, String code) {
        JsonNode error = turn.stream()
                .filter(f -> f.path("type").asText().equals("error"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no error frame: " + turn));
        assertThat(turn.toString(), error.path("error_code").asText(), is(code));
        assertThat(turn.toString(), turn.getLast().path("reason").asText(), is("error"));
        assertThat(ide.isOpen(), is(true));
    }

    /** Once the provider works again, the same socket gets a whole turn. */
    private static void recovers(WsClient ide) throws Exception {
        upstream.mode(MisbehavingLlm.Mode.OK);
        List<JsonNode> turn = ask(ide);
        assertThat(turn.toString(), turn.getLast().path("reason").asText(), is("completed"));
    }
}
