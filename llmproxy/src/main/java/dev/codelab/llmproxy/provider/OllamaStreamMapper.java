package dev.codelab.llmproxy.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.shared.http.Json;

/**
 * One streamed Ollama answer: each NDJSON part becomes OpenAI chunks; a tool call arrives whole and gets an id and
 * the next tool-call index. The answer ends at the part with {@code done: true}.
 */
final class OllamaStreamMapper implements StreamMapper {

    private final ChunkSink sink;
    private final OpenAiShapes shapes;
    private boolean started;
    private int toolCalls;

    OllamaStreamMapper(String model, ChunkSink sink) {
        this.sink = sink;
        this.shapes = new OpenAiShapes(model);
    }

    @Override
    public boolean event(String name, String line) {
        ObjectNode part = ProviderJson.event(OllamaMapper.NAME, line);
        if (part.has("error")) {
            throw ProviderException.broken(OllamaMapper.NAME, part.path("error").asText());
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
            sink.chunk(shapes.finishChunk(OllamaMapper.finishReason(part, toolCalls > 0)));
            sink.chunk(shapes.usageChunk(OllamaMapper.usage(part)));
            return true;
        }
        return false;
    }

    @Override
    public void end() {
        throw ProviderException.broken(OllamaMapper.NAME, "stream ended before done");
    }
}
