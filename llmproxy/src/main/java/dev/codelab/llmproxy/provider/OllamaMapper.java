package dev.codelab.llmproxy.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.llmproxy.registry.Deployment;
import dev.codelab.shared.http.Json;
import java.net.URI;
import java.util.Map;

/**
 * Ollama's native {@code POST /api/chat}: NDJSON stream, whole tool calls without ids (the proxy names them
 * {@code call_<random>}) and arguments as objects (sent on as JSON strings).
 */
public final class OllamaMapper implements ProviderMapper {

    static final String NAME = "ollama";

    @Override
    public String name(Deployment d) {
        return NAME;
    }

    @Override
    public URI endpoint(Deployment d) {
        return URI.create(d.baseUrl() + "/api/chat");
    }

    @Override
    public Map<String, String> headers(Deployment d) {
        return Map.of();
    }

    @Override
    public ObjectNode request(ObjectNode openAi, Deployment d, boolean stream) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("model", d.model()).put("stream", stream);
        ArrayNode messages = body.putArray("messages");
        openAi.path("messages").forEach(message -> messages.add(message(message)));
        if (openAi.path("tools").isArray()
                && !openAi.get("tools").isEmpty()
                && !openAi.path("tool_choice").asText().equals("none")) {
            body.set("tools", openAi.get("tools"));
        }
        JsonNode format = openAi.path("response_format");
        if (format.path("type").asText().equals("json_object")) {
            body.put("format", "json");
        } else if (format.path("type").asText().equals("json_schema")) {
            body.set("format", format.path("json_schema").path("schema"));
        }
        ObjectNode options = options(openAi);
        if (!options.isEmpty()) {
            body.set("options", options);
        }
        return body;
    }

    @Override
    public ChatCompletion completion(JsonNode answer, byte[] bytes, Deployment d) {
        JsonNode message = answer.path("message");
        ArrayNode toolCalls = Json.MAPPER.createArrayNode();
        for (JsonNode call : message.path("tool_calls")) {
            toolCalls.add(OpenAiShapes.toolCall(
                    OpenAiShapes.newCallId(),
                    call.path("function").path("name").asText(),
                    Json.write(call.path("function").path("arguments"))));
        }
        String text = message.path("content").asText("");
        String content = text.isEmpty() && !toolCalls.isEmpty() ? null : text;
        return ChatCompletion.of(new OpenAiShapes(answer.path("model").asText(d.model()))
                .completion(content, toolCalls, finishReason(answer, !toolCalls.isEmpty()), usage(answer)));
    }

    @Override
    public StreamFraming framing() {
        return StreamFraming.NDJSON;
    }

    @Override
    public StreamMapper stream(Deployment d, ChunkSink sink) {
        return new OllamaStreamMapper(d.model(), sink);
    }

    private static ObjectNode message(JsonNode message) {
        String role = message.path("role").asText();
        ObjectNode converted = Json.MAPPER
                .createObjectNode()
                .put("role", role.equals("function") ? "tool" : role.equals("developer") ? "system" : role)
                .put("content", MessageContent.text(message.path("content")));
        if (message.path("tool_calls").isArray()) {
            ArrayNode calls = converted.putArray("tool_calls");
            for (JsonNode call : message.get("tool_calls")) {
                ObjectNode function = calls.addObject()
                        .putObject("function")
                        .put("name", call.path("function").path("name").asText());
                function.set(
                        "arguments",
                        MessageContent.arguments(
                                call.path("function").path("arguments").asText("{}")));
            }
        }
        return converted;
    }

    private static ObjectNode options(ObjectNode openAi) {
        ObjectNode options = Json.MAPPER.createObjectNode();
        copy(openAi, "temperature", options, "temperature");
        copy(openAi, "top_p", options, "top_p");
        copy(openAi, "seed", options, "seed");
        copy(openAi, "max_tokens", options, "num_predict");
        if (openAi.has("stop")) {
            JsonNode stop = openAi.get("stop");
            options.set("stop", stop.isTextual() ? Json.MAPPER.createArrayNode().add(stop.asText()) : stop);
        }
        return options;
    }

    private static void copy(ObjectNode from, String field, ObjectNode to, String as) {
        if (from.hasNonNull(field)) {
            to.set(as, from.get(field));
        }
    }

    static String finishReason(JsonNode part, boolean calledTools) {
        if (calledTools) {
            return "tool_calls";
        }
        return part.path("done_reason").asText().equals("length") ? "length" : "stop";
    }

    static Usage usage(JsonNode part) {
        return new Usage(
                part.path("prompt_eval_count").asLong(), part.path("eval_count").asLong());
    }
}
