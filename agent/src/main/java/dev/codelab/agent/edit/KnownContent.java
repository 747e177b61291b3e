package dev.codelab.agent.edit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.agent.store.MessageStore.Message;
import dev.codelab.agent.tools.ToolCall;
import dev.codelab.shared.http.Json;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the runtime knows of a file's current content, for the diff of a {@code write_file}: the newest thing this
 * turn saw of the path — the whole file as {@code read_file} returned it, or the content of a {@code write_file}
 * that succeeded — unless a command ran or the file was edited since (either may have changed it). The runtime never
 * reads a file behind the model's back just to show a diff; without such a copy there is none.
 */
public final class KnownContent {

    private KnownContent() {}

    /** {@code history} oldest first, as stored. */
    public static Optional<String> of(List<Message> history, String path) {
        Map<String, String> results = new HashMap<>();
        for (Message message : history.reversed()) {
            if (message.role().equals("user")) {
                return Optional.empty();
            }
            if (message.role().equals("tool")) {
                results.put(message.toolCallId(), message.content());
                continue;
            }
            if (!message.hasToolCalls()) {
                continue;
            }
            ToolCall call = ToolCall.fromOpenAiArray(message.toolCalls());
            Verdict verdict = verdictOf(call, results.get(call.id()), path);
            if (verdict.decided()) {
                return verdict.content();
            }
        }
        return Optional.empty();
    }

    /** What one tool call tells about the file's content: decided (known or not), or nothing (look further back). */
    private record Verdict(boolean decided, Optional<String> content) {

        static final Verdict UNDECIDED = new Verdict(false, Optional.empty());
        static final Verdict UNKNOWN = new Verdict(true, Optional.empty());

        static Verdict known(String content) {
            return new Verdict(true, Optional.of(content));
        }
    }

    private static Verdict verdictOf(ToolCall call, String result, String path) {
        boolean samePath = call.arguments().path("path").asText().equals(path);
        return switch (call.name()) {
            case "execute_command" -> Verdict.UNKNOWN;
            case "edit_file" -> samePath ? Verdict.UNKNOWN : Verdict.UNDECIDED;
            case "write_file" ->
                samePath && succeeded(result)
                        ? Verdict.known(call.arguments().path("content").asText())
                        : Verdict.UNDECIDED;
            case "read_file" ->
                samePath && succeeded(result) && readWhole(call)
                        ? wholeFile(path, result).map(Verdict::known).orElse(Verdict.UNDECIDED)
                        : Verdict.UNDECIDED;
            default -> Verdict.UNDECIDED;
        };
    }

    private static boolean readWhole(ToolCall call) {
        return !call.arguments().has("start_line") && !call.arguments().has("end_line");
    }

    /** Whether a stored tool result is one the IDE sent for a call it ran (see TurnEngine's results). */
    private static boolean succeeded(String result) {
        return result != null
                && !result.startsWith("Error: ")
                && !result.startsWith("Not executed")
                && !result.startsWith("rejected by the user");
    }

    /** The file's text from a stored read_file result (the IDE's JSON, or its text as is). */
    private static Optional<String> wholeFile(String path, String stored) {
        JsonNode result;
        try {
            result = Json.read(stored);
        } catch (IOException e) {
            result = Json.MAPPER.getNodeFactory().textNode(stored);
        }
        if (!result.isObject()) {
            result = Json.MAPPER.getNodeFactory().textNode(stored);
        }
        return Optional.ofNullable(IdeFileText.of(path, result, null).text());
    }
}
