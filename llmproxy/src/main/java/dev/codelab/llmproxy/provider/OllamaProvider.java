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
public final class OllamaProvider implements Provider {

    private final UpstreamHttp http;

    public OllamaProvider(UpstreamHttp http) {
        this.http = http;
    }

    @Override
    public Completion complete(ProviderRequest request) {
        Deployment d = request.deployment();
        JsonNode answer = http.postJson(
                "ollama",
                request.requestId(),
                endpoint(d),
                Map.of(),
                translate(request.body(), d.model(), false),
                d.timeout());
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
        return Completion.of(new OpenAiShapes(answer.path("model").asText(d.model()))
                .completion(content, toolCalls, finishReason(answer, !toolCalls.isEmpty()), usage(answer)));
    }

    @Override
    public void stream(ProviderRequest request, ChunkSink sink) {
        Deployment d = request.deployment();
        OpenAiShapes shapes = new OpenAiShapes(d.model());
        int toolCalls = 0;
        try (UpstreamHttp.Lines lines = http.postStream(
                "ollama",
                request.requestId(),
                endpoint(d),
                Map.of(),
                translate(request.body(), d.model(), true),
                d.timeout(),
                request.guard())) {
            boolean started = false;
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.isBlank()) {
                    continue;
                }
                ObjectNode part = OpenAiProvider.parse("ollama", line);
                if (part.has("error")) {
                    throw UpstreamException.broken("ollama", part.path("error").asText());
                }
                if (!started) {
                    sink.chunk(shapes.roleChunk());
                    started = true;
                }
                JsonNode message = part.path("message");
                String text = message.path("content").asText("");
                if (!text.isEmpty()) {
                    sink.chunk(shapes.contentChunk(text));
                }
                for (JsonNode call : message.path("tool_calls")) {
                    sink.chunk(shapes.toolCallStartChunk(
                            toolCalls++,
                            OpenAiShapes.newCallId(),
                            call.path("function").path("name").asText(),
                            Json.write(call.path("function").path("arguments"))));
                }
                if (part.path("done").asBoolean(false)) {
                    sink.chunk(shapes.finishChunk(finishReason(part, toolCalls > 0)));
                    sink.chunk(shapes.usageChunk(usage(part)));
                    return;
                }
            }
        }
        throw UpstreamException.broken("ollama", "stream ended before done");
    }

    static ObjectNode translate(ObjectNode openAi, String model, boolean stream) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("model", model).put("stream", stream);
        ArrayNode messages = body.putArray("messages");
        for (JsonNode message : openAi.path("messages")) {
            String role = message.path("role").asText();
            ObjectNode converted = messages.addObject()
                    .put("role", role.equals("function") ? "tool" : role.equals("developer") ? "system" : role)
                    .put("content", Messages.text(message.path("content")));
            if (message.path("tool_calls").isArray()) {
                ArrayNode calls = converted.putArray("tool_calls");
                for (JsonNode call : message.get("tool_calls")) {
                    ObjectNode function = calls.addObject()
                            .putObject("function")
                            .put("name", call.path("function").path("name").asText());
                    function.set(
                            "arguments",
                            Messages.arguments(
                                    call.path("function").path("arguments").asText("{}")));
                }
            }
        }
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
        ObjectNode options = Json.MAPPER.createObjectNode();
        copy(openAi, "temperature", options, "temperature");
        copy(openAi, "top_p", options, "top_p");
        copy(openAi, "seed", options, "seed");
        copy(openAi, "max_tokens", options, "num_predict");
        if (openAi.has("stop")) {
            JsonNode stop = openAi.get("stop");
            options.set("stop", stop.isTextual() ? Json.MAPPER.createArrayNode().add(stop.asText()) : stop);
        }
        if (!options.isEmpty()) {
            body.set("options", options);
        }
        return body;
    }

    private static void copy(ObjectNode from, String field, ObjectNode to, String as) {
        if (from.hasNonNull(field)) {
            to.set(as, from.get(field));
        }
    }

    private static String finishReason(JsonNode part, boolean calledTools) {
        if (calledTools) {
            return "tool_calls";
        }
        return part.path("done_reason").asText().equals("length") ? "length" : "stop";
    }

    private static Usage usage(JsonNode part) {
        return new Usage(
                part.path("prompt_eval_count").asLong(), part.path("eval_count").asLong());
    }

    private static URI endpoint(Deployment d) {
        return URI.create(d.baseUrl() + "/api/chat");
    }
}
