package dev.codelab.shared.fakellm;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.codelab.shared.http.Json;
import java.nio.charset.StandardCharsets;

/**
 * The OpenAI chat-completions wire format as a provider writes it, for the fakes: the JSON of stream chunks
 * ({@code chat.completion.chunk}: a delta, a finish reason, a usage chunk), of a non-streamed
 * {@code chat.completion}, and the SSE event around each.
 */
public final class OpenAiWire {

    /** The last event's data of every stream. */
    public static final String DONE = "[DONE]";

    private OpenAiWire() {}

    /** A JSON string literal of {@code text}, quoted and escaped. */
    public static String quoted(String text) {
        return Json.write(TextNode.valueOf(text));
    }

    /** The delta of a stream's first chunk. */
    public static String roleDelta() {
        return """
                {"role":"assistant"}""";
    }

    public static String contentDelta(String text) {
        return "{\"content\":" + quoted(text) + "}";
    }

    /** One chunk; {@code finishReason} null for every chunk but the last of a choice. */
    public static String chunk(String model, String deltaJson, String finishReason) {
        return "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":"
                + quoted(model) + ",\"choices\":[{\"index\":0,\"delta\":" + deltaJson + ",\"finish_reason\":"
                + (finishReason == null ? "null" : quoted(finishReason)) + "}]}";
    }

    /** The chunk after the last choice chunk when the request asked for usage: no choices, the token counts. */
    public static String usageChunk(String model, int promptTokens, int completionTokens) {
        return "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":" + quoted(model)
                + ",\"choices\":[]," + usage(promptTokens, completionTokens) + "}";
    }

    /** A non-streamed answer whose message content is {@code content}. */
    public static String completion(String model, String content, int promptTokens, int completionTokens) {
        return completionChoices(model, content) + "," + usage(promptTokens, completionTokens) + "}";
    }

    /** A non-streamed answer without usage (the agent's llmproxy stand-in reports none there). */
    public static String completion(String model, String content) {
        return completionChoices(model, content) + "}";
    }

    /** A tool call's first delta: its index, id and name, the arguments to follow. */
    public static String toolCallDelta(int index, String id, String name, String arguments) {
        return "{\"tool_calls\":[{\"index\":" + index + ",\"id\":" + quoted(id)
                + ",\"type\":\"function\",\"function\":{\"name\":" + quoted(name) + ",\"arguments\":"
                + quoted(arguments) + "}}]}";
    }

    /** A fragment of a tool call's arguments. */
    public static String argumentsDelta(int index, String fragment) {
        return "{\"tool_calls\":[{\"index\":" + index + ",\"function\":{\"arguments\":" + quoted(fragment) + "}}]}";
    }

    /** The SSE event that carries {@code data}, as bytes ready to write. */
    public static byte[] event(String data) {
        return ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String completionChoices(String model, String content) {
        return "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion\",\"created\":1,\"model\":" + quoted(model)
                + ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + quoted(content)
                + "},\"finish_reason\":\"stop\"}]";
    }

    private static String usage(int promptTokens, int completionTokens) {
        return "\"usage\":{\"prompt_tokens\":" + promptTokens + ",\"completion_tokens\":" + completionTokens
                + ",\"total_tokens\":" + (promptTokens + completionTokens) + "}";
    }
}
