package dev.codelab.llmproxy.provider;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.shared.http.Json;
import java.time.Instant;
import java.util.UUID;

/**
 * Builds OpenAI completion and chunk objects for providers that do not speak OpenAI themselves. One instance
 * per response: every chunk shares its id, {@code created} and model.
 */
public final class OpenAiShapes {

    private final String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
    private final long created = Instant.now().getEpochSecond();
    private final String model;
    private final String systemFingerprint;

    public OpenAiShapes(String model) {
        this(model, null);
    }

    /** @param systemFingerprint OpenAI's {@code system_fingerprint}; null leaves it out */
    public OpenAiShapes(String model, String systemFingerprint) {
        this.model = model;
        this.systemFingerprint = systemFingerprint;
    }

    /** A {@code chat.completion} with one choice. {@code toolCalls} may be empty; content may be null. */
    public ObjectNode completion(String content, ArrayNode toolCalls, String finishReason, Usage usage) {
        ObjectNode message =
                Json.MAPPER.createObjectNode().put("role", "assistant").put("content", content);
        if (!toolCalls.isEmpty()) {
            message.set("tool_calls", toolCalls);
        }
        ObjectNode choice = Json.MAPPER.createObjectNode().put("index", 0);
        choice.set("message", message);
        choice.put("finish_reason", finishReason);
        ObjectNode completion = header("chat.completion");
        completion.putArray("choices").add(choice);
        completion.set("usage", usage.toJson());
        return completion;
    }

    /** A tool call id for providers that do not name their calls. */
    public static String newCallId() {
        return "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    /** One entry of {@code message.tool_calls}. */
    public static ObjectNode toolCall(String id, String name, String arguments) {
        ObjectNode call = Json.MAPPER.createObjectNode().put("id", id).put("type", "function");
        call.putObject("function").put("name", name).put("arguments", arguments);
        return call;
    }

    public ObjectNode roleChunk() {
        ObjectNode delta =
                Json.MAPPER.createObjectNode().put("role", "assistant").put("content", "");
        return chunk(delta, null);
    }

    public ObjectNode contentChunk(String text) {
        return chunk(Json.MAPPER.createObjectNode().put("content", text), null);
    }

    /** The first chunk of a tool call: id, name and the first (often empty) piece of the arguments. */
    public ObjectNode toolCallStartChunk(int index, String callId, String name, String arguments) {
        ObjectNode call = Json.MAPPER
                .createObjectNode()
                .put("index", index)
                .put("id", callId)
                .put("type", "function");
        call.putObject("function").put("name", name).put("arguments", arguments);
        return toolCallChunk(call);
    }

    public ObjectNode toolCallArgumentsChunk(int index, String fragment) {
        ObjectNode call = Json.MAPPER.createObjectNode().put("index", index);
        call.putObject("function").put("arguments", fragment);
        return toolCallChunk(call);
    }

    public ObjectNode finishChunk(String finishReason) {
        return chunk(Json.MAPPER.createObjectNode(), finishReason);
    }

    /** The final chunk of a stream with {@code stream_options.include_usage}: no choices, only usage. */
    public ObjectNode usageChunk(Usage usage) {
        ObjectNode chunk = header("chat.completion.chunk");
        chunk.putArray("choices");
        chunk.set("usage", usage.toJson());
        return chunk;
    }

    private ObjectNode toolCallChunk(ObjectNode call) {
        ObjectNode delta = Json.MAPPER.createObjectNode();
        delta.putArray("tool_calls").add(call);
        return chunk(delta, null);
    }

    private ObjectNode chunk(ObjectNode delta, String finishReason) {
        ObjectNode choice = Json.MAPPER.createObjectNode().put("index", 0);
        choice.set("delta", delta);
        choice.put("finish_reason", finishReason);
        ObjectNode chunk = header("chat.completion.chunk");
        chunk.putArray("choices").add(choice);
        return chunk;
    }

    private ObjectNode header(String object) {
        ObjectNode header = Json.MAPPER
                .createObjectNode()
                .put("id", id)
                .put("object", object)
                .put("created", created)
                .put("model", model);
        if (systemFingerprint != null) {
            header.put("system_fingerprint", systemFingerprint);
        }
        return header;
    }
}
