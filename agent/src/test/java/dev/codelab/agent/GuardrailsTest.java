package dev.codelab.agent;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.agent.FakeOpenAi.Call;
import dev.codelab.agent.FakeOpenAi.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.codelab.agent.AgentHarness.json;
import static dev.codelab.agent.AgentHarness.types;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

class GuardrailsTest {

    private static final String START = "{\"type\":\"user_message\",\"content\":\"Fix the app\"}";

    private AgentHarness agent;

    private void start(Map<String, String> overrides) throws Exception {
        agent = new AgentHarness(overrides);
        agent.createSession("u1", "s1");
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    private String lastMessageContent(int request) {
        JsonNode messages = agent.llm.streamRequests().get(request).path("messages");
        return messages.get(messages.size() - 1).path("content").asText();
    }

    @Test
    void invalidToolCallIsCorrectedByTheModelWithoutTheIdeSeeingIt() throws Exception {
        start(Map.of());
        agent.llm.stream(Reply.tool("", "call_bad", "read_file", "{\"path\":\"../etc/passwd\"}"),
                Reply.tool("", "call_ok", "read_file", "{\"path\":\"etc/app.conf\"}"));

        List<JsonNode> events = agent.turn("u1", "s1", START);

        assertThat(types(events), contains("agent_switched", "tool_call", "done:awaiting_tool"));
        assertThat(events.get(1).path("call_id").asText(), is("call_ok"));
        assertThat(lastMessageContent(1), startsWith("Error: 'path' must be a path relative to the workspace"));
        assertThat(agent.count("SELECT steps FROM turns"), is(2L));
    }

    @Test
    void toolsTheAgentMayNotCallAreRefusedAndOnlyAnExistingToolOutsideItsListIsReportedAsToolNotAllowed()
            throws Exception {
        start(Map.of());
        agent.llm.classify(Reply.route("ask", "high", "a question"))
                .stream(Reply.tool("", "call_w", "write_file", "{\"path\":\"a.txt\",\"content\":\"x\"}"),
                        Reply.tool("", "call_u", "delete_everything", "{}"),
                        Reply.tool("", "call_s", "read_file", "{\"path\":\"a.txt\",\"extra\":1}"),
                        Reply.text("Sorry"));

        List<JsonNode> events = agent.turn("u1", "s1", START);

        assertThat(types(events), contains("agent_switched", "error", "assistant_message", "assistant_message",
                "done:completed"));
        assertThat(events.get(1), is(json("{\"type\":\"error\",\"content\":\"Tool 'write_file' is not allowed for "
                + "Ask Agent. Allowed tools: read_file, list_files, search_in_code, handoff, attempt_completion.\","
                + "\"error_code\":\"TOOL_NOT_ALLOWED\"}")));
        assertThat(lastMessageContent(1), startsWith("Error: Tool 'write_file' is not allowed for Ask Agent"));
        assertThat(lastMessageContent(2), is("Error: Unknown tool 'delete_everything'."));
        assertThat(lastMessageContent(3), startsWith("Error: Invalid arguments for 'read_file'"));
    }

    @Test
    void architectWritesOnlyMarkdown() throws Exception {
        start(Map.of());
        agent.llm.classify(Reply.route("architect", "high", "design"))
                .stream(Reply.tool("", "call_j", "write_file", "{\"path\":\"src/A.java\",\"content\":\"x\"}"),
                        Reply.tool("", "call_m", "write_file", "{\"path\":\"docs/design.md\",\"content\":\"# D\"}"));

        List<JsonNode> events = agent.turn("u1", "s1", START);

        assertThat(types(events), contains("agent_switched", "tool_call", "done:awaiting_approval"));
        assertThat(events.get(1).path("arguments").path("path").asText(), is("docs/design.md"));
        assertThat(lastMessageContent(1), containsString("may only write Markdown"));
    }

    @Test
    void onlyTheFirstOfSeveralToolCallsRunsAndTheModelIsTold() throws Exception {
        start(Map.of());
        agent.llm.stream(Reply.tools(new Call("call_1", "read_file", "{\"path\":\"a.txt\"}"),
                new Call("call_2", "read_file", "{\"path\":\"b.txt\"}")), Reply.text("Read"));

        List<JsonNode> events = agent.turn("u1", "s1", START);
        assertThat(types(events), contains("agent_switched", "tool_call", "done:awaiting_tool"));
        assertThat(events.get(1).path("call_id").asText(), is("call_1"));

        agent.turn("u1", "s1", "{\"type\":\"tool_result\",\"call_id\":\"call_1\",\"result\":\"A\"}");
        JsonNode assistant = agent.llm.streamRequests().get(1).path("messages").get(2);
        assertThat(assistant.path("tool_calls").size(), is(1));
        assertThat(lastMessageContent(1), startsWith("A\n[Note: you called 2 tools at once"));
    }

    @Test
    void stepLimitEndsTheTurnWithAnExplanationAndStepLimitReached() throws Exception {
        start(Map.of("agent-runtime.max-steps", "3"));
        agent.llm.stream(Reply.tool("", "c1", "read_file", "{\"path\":\"../1\"}"),
                Reply.tool("", "c2", "read_file", "{\"path\":\"../2\"}"),
                Reply.tool("", "c3", "read_file", "{\"path\":\"../3\"}"),
                Reply.text("never asked"));

        List<JsonNode> events = agent.turn("u1", "s1", START);

        assertThat(events.subList(1, events.size()), contains(
                json("{\"type\":\"assistant_message\",\"token\":\"I stopped after 3 steps without finishing the task. "
                        + "Send a message to let me continue.\",\"is_final\":true,\"content\":\"I stopped after 3 steps "
                        + "without finishing the task. Send a message to let me continue.\",\"agent_name\":\"coder\"}"),
                json("{\"type\":\"error\",\"content\":\"I stopped after 3 steps without finishing the task. "
                        + "Send a message to let me continue.\",\"error_code\":\"STEP_LIMIT_REACHED\"}"),
                json("{\"type\":\"done\",\"reason\":\"step_limit\"}")));
        assertThat(agent.llm.streamRequests().size(), is(3));
        assertThat(agent.count("SELECT count(*) FROM turns WHERE state = 'step_limit' AND steps = 3"), is(1L));
    }

    @Test
    void loopGuardStopsTheSameCallTheThirdTimeInARow() throws Exception {
        start(Map.of());
        String read = "{\"path\":\"a.txt\"}";
        agent.llm.stream(Reply.tool("", "c1", "read_file", read), Reply.tool("", "c2", "read_file", read),
                Reply.tool("", "c3", "read_file", read));

        agent.turn("u1", "s1", START);
        agent.turn("u1", "s1", "{\"type\":\"tool_result\",\"call_id\":\"c1\",\"result\":\"x\"}");
        List<JsonNode> third = agent.turn("u1", "s1", "{\"type\":\"tool_result\",\"call_id\":\"c2\",\"result\":\"x\"}");

        assertThat(types(third), contains("assistant_message", "error", "done:step_limit"));
        String explanation = "I stopped because I was repeating the same read_file call 3 times in a row. "
                + "Tell me how to continue.";
        assertThat(third.getFirst().path("content").asText(), is(explanation));
        assertThat(third.get(1).path("content").asText(), is(explanation));
        assertThat(third.get(1).path("error_code").asText(), is("STEP_LIMIT_REACHED"));
    }

    @Test
    void llmFailureBeforeStreamingIsRetried() throws Exception {
        start(Map.of());
        agent.llm.stream(Reply.status(500), Reply.status(429), Reply.text("Fine"));

        List<JsonNode> events = agent.turn("u1", "s1", START);

        assertThat(types(events), contains("agent_switched", "assistant_message", "assistant_message", "done:completed"));
        assertThat(agent.llm.streamRequests().size(), is(3));
    }

    @Test
    void retryAfterOfTheProxyIsHonoured() throws Exception {
        start(Map.of());
        agent.llm.stream(Reply.tooManyRequests(1), Reply.text("Fine"));

        List<JsonNode> events = agent.turn("u1", "s1", START);

        assertThat(types(events).getLast(), is("done:completed"));
        List<Long> arrivals = agent.llm.streamRequestNanos();
        // the configured back-off is 1-5 ms; only Retry-After explains a pause of a second
        assertThat(arrivals.get(1) - arrivals.get(0) >= TimeUnit.MILLISECONDS.toNanos(900), is(true));
    }

    @Test
    void llmFailureBeforeStreamingEndsTheTurnAfterTheRetries() throws Exception {
        start(Map.of());
        agent.llm.stream(Reply.status(500), Reply.status(500), Reply.status(502), Reply.status(503));

        List<JsonNode> events = agent.turn("u1", "s1", START);

        assertThat(events.subList(1, events.size()), contains(
                json("{\"type\":\"error\",\"content\":\"The language model failed: the LLM proxy answered HTTP 503\","
                        + "\"error_code\":\"LLM_ERROR\"}"),
                json("{\"type\":\"done\",\"reason\":\"error\",\"resumable\":true}")));
        assertThat(agent.llm.streamRequests().size(), is(4));
        assertThat(agent.count("SELECT count(*) FROM messages WHERE role = 'assistant'"), is(0L));
    }

    @Test
    void clientErrorsOfTheProxyAreNotRetried() throws Exception {
        start(Map.of());
        agent.llm.stream(Reply.status(400));

        List<JsonNode> events = agent.turn("u1", "s1", START);

        assertThat(types(events), contains("agent_switched", "error", "done:error"));
        assertThat(agent.llm.streamRequests().size(), is(1));
    }

    @Test
    void llmFailureAfterStreamingBeganKeepsWhatWasStreamedAndIsNotRetried() throws Exception {
        start(Map.of());
        agent.llm.stream(Reply.textThenBreak("Partial", " text"), Reply.text("must not be used"));

        List<JsonNode> events = agent.turn("u1", "s1", START);

        assertThat(events.subList(1, events.size()), contains(
                json("{\"type\":\"assistant_message\",\"token\":\"Partial\",\"is_final\":false,\"agent_name\":\"coder\"}"),
                json("{\"type\":\"assistant_message\",\"token\":\" text\",\"is_final\":false,\"agent_name\":\"coder\"}"),
                json("{\"type\":\"assistant_message\",\"token\":\"\",\"is_final\":true,\"content\":\"Partial text\","
                        + "\"agent_name\":\"coder\"}"),
                json("{\"type\":\"error\",\"content\":\"The language model failed: the LLM stream ended before [DONE]\","
                        + "\"error_code\":\"LLM_ERROR\"}"),
                json("{\"type\":\"done\",\"reason\":\"error\",\"resumable\":true}")));
        assertThat(agent.llm.streamRequests().size(), is(1));
        JsonNode stored = agent.getJson("/sessions/s1/history", "u1").path("messages").get(1);
        assertThat(stored.path("content").asText(), is("Partial text"));
        assertThat(stored.path("status").asText(), is("error"));
    }

    @Test
    void llmTimeoutBoundsTheWaitForTheProxysAnswer() throws Exception {
        start(Map.of("agent-runtime.llm-timeout-seconds", "1", "agent-runtime.llm-max-retries", "0"));
        CountDownLatch release = new CountDownLatch(1);
        agent.llm.stream(Reply.silentUntil(release));
        try {
            List<JsonNode> events = agent.turn("u1", "s1", START);

            assertThat(events.subList(1, events.size()), contains(
                    json("{\"type\":\"error\",\"content\":\"The language model timed out: no answer from the LLM "
                            + "proxy within 1 s\",\"error_code\":\"LLM_TIMEOUT\"}"),
                    json("{\"type\":\"done\",\"reason\":\"error\",\"resumable\":true}")));
        } finally {
            release.countDown();
        }
    }

    @Test
    void theProxysOwnTimeoutAnswerIsLlmTimeoutToo() throws Exception {
        start(Map.of("agent-runtime.llm-max-retries", "1"));
        agent.llm.stream(Reply.status(504), Reply.status(504));

        List<JsonNode> events = agent.turn("u1", "s1", START);

        assertThat(events.subList(1, events.size()), contains(
                json("{\"type\":\"error\",\"content\":\"The language model timed out: the LLM proxy answered HTTP 504\","
                        + "\"error_code\":\"LLM_TIMEOUT\"}"),
                json("{\"type\":\"done\",\"reason\":\"error\",\"resumable\":true}")));
        assertThat(agent.llm.streamRequests().size(), is(2));
    }

    @Test
    void llmTimeoutAlsoBoundsSilenceInsideAStream() throws Exception {
        start(Map.of("agent-runtime.llm-timeout-seconds", "1"));
        CountDownLatch release = new CountDownLatch(1);
        agent.llm.stream(Reply.textThenWait(release, "Work"));
        try {
            List<JsonNode> events = agent.turn("u1", "s1", START);

            assertThat(types(events), contains("agent_switched", "assistant_message", "assistant_message", "error",
                    "done:error"));
            assertThat(events.get(3), is(json("{\"type\":\"error\",\"content\":\"The language model timed out: "
                    + "no answer from the LLM proxy within 1 s\",\"error_code\":\"LLM_TIMEOUT\"}")));
            assertThat(agent.llm.streamRequests().size(), is(1));
        } finally {
            release.countDown();
        }
    }

    @Test
    void aCancelledStreamDoesNotLeaveItsConnectionForTheNextCallButACompletedOneDoes() throws Exception {
        start(Map.of());
        try (HeldTurn running = new HeldTurn(release -> Reply.textThenWait(release, "Work"))) {
            waitForAssistantToken();
            agent.turn("u1", "s1", "{\"type\":\"cancel\"}");
            assertThat(types(running.events()).getLast(), is("done:cancelled"));
        }
        agent.llm.stream(Reply.text("One"), Reply.text("Two"));

        assertThat(types(agent.turn("u1", "s1", START)).getLast(), is("done:completed"));
        assertThat(types(agent.turn("u1", "s1", START)).getLast(), is("done:completed"));

        List<Integer> ports = agent.llm.streamRequestPorts();
        assertThat(ports.get(1), is(not(ports.get(0))));
        assertThat(ports.get(2), is(ports.get(1)));
    }

    @Test
    void concurrentTurnOnTheSameSessionIsRefusedWith409() throws Exception {
        start(Map.of());
        try (HeldTurn first = new HeldTurn(release -> Reply.textThenWait(release, "Thinking"))) {
            HttpResponse<String> second = agent.send("POST", "/agent/message/stream", "u1",
                    "{\"session_id\":\"s1\",\"message\":{\"type\":\"user_message\",\"content\":\"Again\"}}");

            assertThat(second.statusCode(), is(409));
            assertThat(json(second.body()).path("error").asText(), is("turn_in_progress"));
            first.release();
            assertThat(types(first.events()), contains("agent_switched", "assistant_message", "assistant_message",
                    "done:completed"));
        }
        assertThat(agent.count("SELECT count(*) FROM messages WHERE role = 'user'"), is(1L));
    }

    @Test
    void aTurnArrivingWhileThePreviousOneIsStillLettingGoWaitsForItInsteadOf409() throws Exception {
        // Found by the reliability soak: an IDE answering 'done' at once could meet the lock of the ending request.
        start(Map.of());
        HeldTurn first = new HeldTurn(release -> Reply.textThenWait(release, "Thinking"));
        agent.llm.stream(Reply.text("Again"));
        CompletableFuture<HttpResponse<String>> second = CompletableFuture.supplyAsync(() -> agent.send("POST",
                "/agent/message/stream", "u1", "{\"session_id\":\"s1\",\"message\":{\"type\":\"user_message\",\"content\":\"Again\"}}"));
        Thread.sleep(300);
        first.release();
        assertThat(types(first.events()).getLast(), is("done:completed"));

        HttpResponse<String> answer = second.get(10, TimeUnit.SECONDS);
        assertThat(answer.body(), answer.statusCode(), is(200));
        assertThat(agent.count("SELECT count(*) FROM messages WHERE role = 'user'"), is(2L));
    }

    @Test
    void theSessionLockHoldsAcrossReplicas() throws Exception {
        start(Map.of());
        try (HeldTurn first = new HeldTurn(release -> Reply.textThenWait(release, "Thinking"));
             AgentHarness other = agent.replica()) {
            HttpResponse<String> second = other.send("POST", "/agent/message/stream", "u1",
                    "{\"session_id\":\"s1\",\"message\":{\"type\":\"user_message\",\"content\":\"Again\"}}");

            assertThat(second.statusCode(), is(409));
            assertThat(json(second.body()).path("error").asText(), is("turn_in_progress"));
            first.release();
            assertThat(types(first.events()).getLast(), is("done:completed"));
        }
    }

    @Test
    void cancelPostedToAnotherReplicaStopsTheTurn() throws Exception {
        start(Map.of("agent-runtime.cancel-poll-ms", "50"));
        try (HeldTurn running = new HeldTurn(release -> Reply.textThenWait(release, "Work"));
             AgentHarness other = agent.replica()) {
            List<JsonNode> cancel = other.turn("u1", "s1", "{\"type\":\"cancel\"}");

            assertThat(cancel, contains(json("{\"type\":\"done\",\"reason\":\"cancelled\"}")));
            assertThat(types(running.events()).getLast(), is("done:cancelled"));
        }
        assertThat(agent.count("SELECT count(*) FROM turns WHERE state = 'cancelled'"), is(1L));
    }

    @Test
    void cancelFrameStopsTheRunningTurnAndKeepsThePartialText() throws Exception {
        start(Map.of());
        try (HeldTurn running = new HeldTurn(release -> Reply.textThenWait(release, "Work"))) {
            waitForAssistantToken();

            List<JsonNode> cancel = agent.turn("u1", "s1", "{\"type\":\"cancel\"}");

            assertThat(cancel, contains(json("{\"type\":\"done\",\"reason\":\"cancelled\"}")));
            assertThat(running.events().subList(1, 4), contains(
                    json("{\"type\":\"assistant_message\",\"token\":\"Work\",\"is_final\":false,\"agent_name\":\"coder\"}"),
                    json("{\"type\":\"assistant_message\",\"token\":\"\",\"is_final\":true,\"content\":\"Work\","
                            + "\"agent_name\":\"coder\"}"),
                    json("{\"type\":\"done\",\"reason\":\"cancelled\"}")));
        }
        JsonNode stored = agent.getJson("/sessions/s1/history", "u1").path("messages").get(1);
        assertThat(stored.path("status").asText(), is("cancelled"));
        assertThat(agent.count("SELECT count(*) FROM turns WHERE state = 'cancelled'"), is(1L));
    }

    @Test
    void cancelAbortsAnLlmCallThatHasNotAnsweredYet() throws Exception {
        start(Map.of());
        try (HeldTurn running = new HeldTurn(release -> Reply.silentUntil(release))) {
            agent.turn("u1", "s1", "{\"type\":\"cancel\"}");

            assertThat(types(running.events()), contains("agent_switched", "done:cancelled"));
        }
        assertThat(agent.count("SELECT count(*) FROM messages WHERE role = 'assistant'"), is(0L));
    }

    @Test
    void cancelWithoutARunningTurnAnswersTheWaitingToolCall() throws Exception {
        start(Map.of());
        agent.llm.stream(Reply.tool("", "call_r", "read_file", "{\"path\":\"a.txt\"}"));
        agent.turn("u1", "s1", START);

        List<JsonNode> cancel = agent.turn("u1", "s1", "{\"type\":\"cancel\"}");

        assertThat(cancel, contains(json("{\"type\":\"done\",\"reason\":\"cancelled\"}")));
        assertThat(agent.count("SELECT count(*) FROM messages WHERE role = 'tool' "
                + "AND content = 'Not executed: the user cancelled the turn.'"), is(1L));
        assertThat(agent.count("SELECT count(*) FROM turns WHERE state = 'cancelled'"), is(1L));
    }

    @Test
    void callerClosingTheStreamCancelsTheTurn() throws Exception {
        start(Map.of("agent-runtime.keep-alive-seconds", "0.2"));
        CountDownLatch release = new CountDownLatch(1);
        agent.llm.stream(Reply.textThenWait(release, "Work"));
        try {
            HttpResponse<Stream<String>> res = agent.streamRequest("u1", "s1", START);
            Iterator<String> lines = res.body().iterator();
            while (lines.hasNext() && !lines.next().contains("\"token\":\"Work\"")) {
                // read up to the first token
            }
            res.body().close();

            long deadline = System.currentTimeMillis() + 10_000;
            while (agent.count("SELECT count(*) FROM turns WHERE state = 'cancelled'") == 0
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(agent.count("SELECT count(*) FROM turns WHERE state = 'cancelled'"), is(1L));
            assertThat(agent.count("SELECT count(*) FROM messages WHERE status = 'cancelled'"), is(1L));
        } finally {
            release.countDown();
        }
    }

    @Test
    void keepAliveCommentsFlowWhileTheLlmIsSilent() throws Exception {
        start(Map.of("agent-runtime.keep-alive-seconds", "0.2"));
        agent.llm.stream(Reply.delayed(800, "Hi"));

        List<String> lines = new ArrayList<>();
        agent.streamRequest("u1", "s1", START).body().forEach(lines::add);

        assertThat(lines, hasItem(": keep-alive"));
        assertThat(lines.getLast().isEmpty() || lines.getLast().startsWith("data:"), is(true));
        assertThat(lines.stream().filter(l -> l.startsWith("data: {\"type\":\"done\"")).count(), is(1L));
    }

    /** A turn started in the background whose LLM reply stays open until released (at the latest on close). */
    private final class HeldTurn implements AutoCloseable {

        private final CountDownLatch release = new CountDownLatch(1);
        private final CompletableFuture<List<JsonNode>> events;

        HeldTurn(Function<CountDownLatch, Reply> reply) throws InterruptedException {
            agent.llm.stream(reply.apply(release));
            events = CompletableFuture.supplyAsync(() -> agent.turn("u1", "s1", START));
            agent.llm.awaitStreamRequest();
        }

        /** Lets the LLM reply finish. */
        void release() {
            release.countDown();
        }

        /** Every event of the turn, once it has ended. */
        List<JsonNode> events() throws Exception {
            return events.get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            release.countDown();
        }
    }

    private void waitForAssistantToken() throws InterruptedException {
        // the token is forwarded before the fake goes silent; a short wait lets it reach the stream
        Thread.sleep(200);
    }
}
