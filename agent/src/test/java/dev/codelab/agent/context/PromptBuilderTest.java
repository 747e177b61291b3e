package dev.codelab.agent.context;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.agent.store.MessageStatus;
import dev.codelab.agent.store.MessageStore.Message;
import dev.codelab.agent.store.Summaries.Summary;
import dev.codelab.agent.tools.ToolCall;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PromptBuilderTest {

    private long seq;

    private Message message(String role, String content, JsonNode toolCalls, String toolCallId) {
        return withStatus(role, content, toolCalls, toolCallId, MessageStatus.COMPLETE);
    }

    private Message withStatus(
            String role, String content, JsonNode toolCalls, String toolCallId, MessageStatus status) {
        return new Message(
                UUID.randomUUID(),
                ++seq,
                role,
                content,
                role.equals("assistant") ? "coder" : null,
                toolCalls,
                toolCallId,
                0,
                status,
                OffsetDateTime.now(),
                null);
    }

    private static JsonNode build(int budget, int maxToolResultBytes, List<Message> history) {
        return new PromptBuilder(maxToolResultBytes)
                .build("sys", Conversation.of(history, Optional.empty()), budget)
                .messages();
    }

    private Message user(String text) {
        return message("user", text, null, null);
    }

    private Message call(String id) {
        return message("assistant", "", new ToolCall(id, "read_file", """
                {"path":"a"}\
                """).toOpenAiArray(), null);
    }

    private Message result(String id, String content) {
        return message("tool", content, null, id);
    }

    private static List<String> contents(JsonNode messages) {
        List<String> contents = new ArrayList<>();
        messages.forEach(m -> contents.add(m.path("role").asText() + ":"
                + (m.has("tool_calls") ? "call" : m.path("content").asText())));
        return contents;
    }

    @Test
    void everythingFitsInALargeWindow() {
        List<Message> history = List.of(user("first"), call("c1"), result("c1", "r1"), user("second"));

        JsonNode messages = build(10_000, 32_768, history);

        assertThat(
                contents(messages), contains("system:sys", "user:first", "assistant:call", "tool:r1", "user:second"));
        assertThat(messages.get(2).has("content"), is(false));
        assertThat(messages.get(3).path("tool_call_id").asText(), is("c1"));
    }

    @Test
    void smallWindowKeepsSystemFirstUserAndNewestWithoutSplittingToolCalls() {
        String filler = "x".repeat(400);
        List<Message> history = List.of(
                user("first"),
                message("assistant", filler, null, null),
                user(filler),
                call("c1"),
                result("c1", "r1"),
                user("latest"));

        JsonNode messages = build(150, 32_768, history);

        assertThat(
                contents(messages), contains("system:sys", "user:first", "assistant:call", "tool:r1", "user:latest"));
    }

    @Test
    void theNewestMessageIsKeptEvenWhenItAloneExceedsTheWindow() {
        JsonNode messages = build(10, 32_768, List.of(user("first"), user("y".repeat(500))));

        assertThat(messages.size(), is(3));
    }

    @Test
    void bigToolResultsAreCutWithAMarker() {
        String big = "z".repeat(100);
        JsonNode messages = build(10_000, 40, List.of(user("u"), call("c1"), result("c1", big)));

        String content = messages.get(3).path("content").asText();
        assertThat(content.startsWith("z".repeat(40) + "\n"), is(true));
        assertThat(content, endsWith("[... tool result truncated: 40 of 100 bytes shown]"));
    }

    @Test
    void aSummaryReplacesItsRangeAndIsKeptWithTheFirstUserMessageWhenTheNewestAreTrimmed() {
        String filler = "x".repeat(400);
        List<Message> history = List.of(
                user("first"),
                call("c1"),
                result("c1", "r1"),
                user("second"),
                message("assistant", filler, null, null),
                user(filler),
                call("c2"),
                result("c2", "r2"),
                user("latest"));
        Summary summary = new Summary(2, 4, "the user asked twice");

        JsonNode all = new PromptBuilder(32_768)
                .build("sys", Conversation.of(history, Optional.of(summary)), 10_000)
                .messages();
        JsonNode trimmed = new PromptBuilder(32_768)
                .build("sys", Conversation.of(history, Optional.of(summary)), 180)
                .messages();

        String summaryText = "user:[Summary of the conversation after my first message (messages 2-4), condensed to "
                + "fit the context window]\n\nthe user asked twice";
        assertThat(
                contents(all),
                contains(
                        "system:sys",
                        "user:first",
                        summaryText,
                        "assistant:" + filler,
                        "user:" + filler,
                        "assistant:call",
                        "tool:r2",
                        "user:latest"));
        assertThat(
                contents(trimmed),
                contains("system:sys", "user:first", summaryText, "assistant:call", "tool:r2", "user:latest"));
    }

    @Test
    void anAnswerCutOffByAFailureIsMarkedAndWhenLastTheModelIsAskedToContinueIt() {
        Message cutOff = withStatus("assistant", "Half an ans", null, null, MessageStatus.ERROR);

        JsonNode resumed = build(10_000, 32_768, List.of(user("first"), call("c1"), result("c1", "r1"), cutOff));
        JsonNode later = build(10_000, 32_768, List.of(user("first"), cutOff, user("next")));

        assertThat(
                contents(resumed),
                contains(
                        "system:sys",
                        "user:first",
                        "assistant:call",
                        "tool:r1",
                        "assistant:Half an ans\n[This answer was cut off here: the model provider failed.]",
                        "user:" + PromptBuilder.CONTINUE_NOTE));
        assertThat(
                contents(later),
                contains(
                        "system:sys",
                        "user:first",
                        "assistant:Half an ans\n[This answer was cut off here: the model provider failed.]",
                        "user:next"));
    }

    @Test
    void theEstimateIsWhatTheBuiltPromptCounts() {
        List<Message> history = List.of(user("first"), call("c1"), result("c1", "r".repeat(1000)), user("second"));
        PromptBuilder builder = new PromptBuilder(32_768);
        Conversation conversation = Conversation.of(history, Optional.empty());

        PromptBuilder.Prompt prompt = builder.build("sys", conversation, Integer.MAX_VALUE);

        assertThat(prompt.estimatedTokens(), is(TokenEstimate.of("""
                        {"role":"system","content":"sys"}\
                        """) + builder.estimate(conversation)));
    }
}
