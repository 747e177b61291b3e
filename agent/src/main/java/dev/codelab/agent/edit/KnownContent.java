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
            String result = results.get(call.id());
            boolean samePath = call.arguments().path("path").asText().equals(path);
            switch (call.name()) {
                case "execute_command" -> {
                    return Optional.empty();
                }
                case "edit_file" -> {
                    if (samePath) {
                        return Optional.empty();
                    }
                }
                case "write_file" -> {
                    if (samePath && succeeded(result)) {
                        return Optional.of(call.arguments().path("content").asText());
                    }
                }
                case "read_file" -> {
                    if (samePath
                            && succeeded(result)
                            && !call.arguments().has("start_line")
                            && !call.arguments().has("end_line")) {
                        Optional<String> read = wholeFile(path, result);
                        if (read.isPresent()) {
                            return read;
                        }
                    }
                }
                default -> {}
            }
        }
        return Optional.empty();
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
