package dev.codelab.agent.turn;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.agent.store.Messages.Message;
import dev.codelab.agent.tools.ToolCall;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.is;

class PromptBuilderTest {

    private long seq;

    private Message message(String role, String content, JsonNode toolCalls, String toolCallId) {
        return new Message(UUID.randomUUID(), ++seq, role, content, role.equals("assistant") ? "coder" : null,
                toolCalls, toolCallId, 0, "complete", OffsetDateTime.now(), null);
    }

    private Message user(String text) {
        return message("user", text, null, null);
    }

    private Message call(String id) {
        return message("assistant", "", new ToolCall(id, "read_file", "{\"path\":\"a\"}").toOpenAiArray(), null);
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

        JsonNode messages = new PromptBuilder(10_000, 32_768).build("sys", history);

        assertThat(contents(messages), contains("system:sys", "user:first", "assistant:call", "tool:r1", "user:second"));
        assertThat(messages.get(2).has("content"), is(false));
        assertThat(messages.get(3).path("tool_call_id").asText(), is("c1"));
    }

    @Test
    void smallWindowKeepsSystemFirstUserAndNewestWithoutSplittingToolCalls() {
        String filler = "x".repeat(400);
        List<Message> history = List.of(user("first"), message("assistant", filler, null, null), user(filler),
                call("c1"), result("c1", "r1"), user("latest"));

        JsonNode messages = new PromptBuilder(150, 32_768).build("sys", history);

        assertThat(contents(messages), contains("system:sys", "user:first", "assistant:call", "tool:r1", "user:latest"));
    }

    @Test
    void theNewestMessageIsKeptEvenWhenItAloneExceedsTheWindow() {
        JsonNode messages = new PromptBuilder(10, 32_768).build("sys", List.of(user("first"), user("y".repeat(500))));

        assertThat(messages.size(), is(3));
    }

    @Test
    void bigToolResultsAreCutWithAMarker() {
        String big = "z".repeat(100);
        JsonNode messages = new PromptBuilder(10_000, 40).build("sys", List.of(user("u"), call("c1"), result("c1", big)));

        String content = messages.get(3).path("content").asText();
        assertThat(content.startsWith("z".repeat(40) + "\n"), is(true));
        assertThat(content, endsWith("[... tool result truncated: 40 of 100 bytes shown]"));
    }
}
