package dev.codelab.llmproxy.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;

/**
 * One streamed Anthropic answer: its events become OpenAI chunks, and its content blocks that are tool calls keep
 * the OpenAI tool-call index they were given. The answer ends at {@code message_stop}.
 */
final class AnthropicStreamMapper implements StreamMapper {

    private final ChunkSink sink;
    private final Map<Integer, Integer> toolSlots = new HashMap<>();
    private OpenAiShapes shapes;
    private Usage input = Usage.NONE;
    private long outputTokens;
    private String finishReason = "stop";

    AnthropicStreamMapper(String model, ChunkSink sink) {
        this.sink = sink;
        this.shapes = new OpenAiShapes(model);
    }

    @Override
    public boolean event(String name, String data) {
        ObjectNode event = ProviderJson.event(AnthropicMapper.NAME, data);
        switch (event.path("type").asText(name)) {
            case "message_start" -> messageStart(event.path("message"));
            case "content_block_start" -> blockStart(event);
            case "content_block_delta" -> blockDelta(event);
            case "message_delta" -> {
                if (event.path("delta").hasNonNull("stop_reason")) {
                    finishReason = AnthropicMapper.finishReason(
                            event.path("delta").path("stop_reason").asText());
                }
                outputTokens = event.path("usage").path("output_tokens").asLong(outputTokens);
            }
            case "message_stop" -> {
                sink.chunk(shapes.finishChunk(finishReason));
                sink.chunk(shapes.usageChunk(new Usage(
                        input.promptTokens(), outputTokens, input.cacheReadTokens(), input.cacheWriteTokens())));
                return true;
            }
            case "error" ->
                throw ProviderException.fromAnthropicErrorType(
                        event.path("error").path("type").asText(),
                        event.path("error").path("message").asText());
            default -> {
                // ping, content_block_stop
            }
        }
        return false;
    }

    @Override
    public void end() {
        throw ProviderException.broken(AnthropicMapper.NAME, "stream ended before message_stop");
    }

    private void messageStart(JsonNode message) {
        shapes = new OpenAiShapes(message.path("model").asText(AnthropicMapper.NAME));
        input = AnthropicMapper.usage(message.path("usage"));
        outputTokens = message.path("usage").path("output_tokens").asLong();
        sink.chunk(shapes.roleChunk());
    }

    private void blockStart(JsonNode event) {
        JsonNode block = event.path("content_block");
        if (block.path("type").asText().equals("tool_use")) {
            int slot = toolSlots.size();
            toolSlots.put(event.path("index").asInt(), slot);
            sink.chunk(shapes.toolCallStartChunk(
                    slot, block.path("id").asText(), block.path("name").asText(), ""));
        } else if (block.path("type").asText().equals("text")
                && !block.path("text").asText().isEmpty()) {
            sink.chunk(shapes.contentChunk(block.path("text").asText()));
        }
    }

    private void blockDelta(JsonNode event) {
        JsonNode delta = event.path("delta");
        switch (delta.path("type").asText()) {
            case "text_delta" ->
                sink.chunk(shapes.contentChunk(delta.path("text").asText()));
            case "input_json_delta" -> {
                Integer slot = toolSlots.get(event.path("index").asInt());
                if (slot != null) {
                    sink.chunk(shapes.toolCallArgumentsChunk(
                            slot, delta.path("partial_json").asText()));
                }
            }
            default -> {
                // thinking_delta and signature_delta are not part of the OpenAI answer
            }
        }
    }
}
