package dev.codelab.llmproxy.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.llmproxy.registry.Deployment;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.sse.SseEventReader;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** The Anthropic Messages API ({@code POST /v1/messages}), translated to and from OpenAI chat completions. */
public final class AnthropicProvider implements Provider {

    static final String VERSION = "2023-06-01";

    private final UpstreamHttp http;
    private final int defaultMaxTokens;

    public AnthropicProvider(UpstreamHttp http, int defaultMaxTokens) {
        this.http = http;
        this.defaultMaxTokens = defaultMaxTokens;
    }

    @Override
    public Completion complete(ProviderRequest request) {
        Deployment d = request.deployment();
        JsonNode answer = http.postJson(
                "anthropic",
                request.requestId(),
                endpoint(d),
                headers(d),
                AnthropicRequests.translate(request.body(), d.model(), defaultMaxTokens, d.cacheBreakpoints()),
                d.timeout());
        StringBuilder text = new StringBuilder();
        ArrayNode toolCalls = Json.MAPPER.createArrayNode();
        for (JsonNode block : answer.path("content")) {
            switch (block.path("type").asText()) {
                case "text" -> text.append(block.path("text").asText());
                case "tool_use" ->
                    toolCalls.add(OpenAiShapes.toolCall(
                            block.path("id").asText(), block.path("name").asText(), Json.write(block.path("input"))));
                default -> {
                    // thinking and other blocks have no OpenAI counterpart
                }
            }
        }
        String content = text.isEmpty() && !toolCalls.isEmpty() ? null : text.toString();
        return Completion.of(new OpenAiShapes(answer.path("model").asText(d.model()))
                .completion(
                        content,
                        toolCalls,
                        finishReason(answer.path("stop_reason").asText()),
                        usage(answer.path("usage"))));
    }

    @Override
    public void stream(ProviderRequest request, ChunkSink sink) {
        Deployment d = request.deployment();
        ObjectNode body =
                AnthropicRequests.translate(request.body(), d.model(), defaultMaxTokens, d.cacheBreakpoints());
        try (UpstreamHttp.Lines lines = http.postStream(
                "anthropic", request.requestId(), endpoint(d), headers(d), body, d.timeout(), request.guard())) {
            new StreamTranslation(d.model(), sink).run(new SseEventReader(lines));
        }
    }

    /** The state of one streamed answer: which Anthropic content block is which OpenAI tool call. */
    private static final class StreamTranslation {

        private final ChunkSink sink;
        private final Map<Integer, Integer> toolSlots = new HashMap<>();
        private OpenAiShapes shapes;
        private Usage input = Usage.NONE;
        private long outputTokens;
        private String finishReason = "stop";

        StreamTranslation(String model, ChunkSink sink) {
            this.sink = sink;
            this.shapes = new OpenAiShapes(model);
        }

        void run(SseEventReader events) {
            for (var event = events.next(); event.isPresent(); event = events.next()) {
                ObjectNode data = OpenAiProvider.parse("anthropic", event.get().data());
                String type = data.path("type").asText(event.get().name());
                switch (type) {
                    case "message_start" -> {
                        JsonNode message = data.path("message");
                        shapes = new OpenAiShapes(message.path("model").asText("anthropic"));
                        input = usage(message.path("usage"));
                        outputTokens =
                                message.path("usage").path("output_tokens").asLong();
                        sink.chunk(shapes.roleChunk());
                    }
                    case "content_block_start" -> blockStart(data);
                    case "content_block_delta" -> blockDelta(data);
                    case "message_delta" -> {
                        if (data.path("delta").hasNonNull("stop_reason")) {
                            finishReason = finishReason(
                                    data.path("delta").path("stop_reason").asText());
                        }
                        outputTokens = data.path("usage").path("output_tokens").asLong(outputTokens);
                    }
                    case "message_stop" -> {
                        sink.chunk(shapes.finishChunk(finishReason));
                        sink.chunk(shapes.usageChunk(new Usage(
                                input.promptTokens(),
                                outputTokens,
                                input.cacheReadTokens(),
                                input.cacheWriteTokens())));
                        return;
                    }
                    case "error" ->
                        throw UpstreamException.fromAnthropicErrorType(
                                data.path("error").path("type").asText(),
                                data.path("error").path("message").asText());
                    default -> {
                        // ping, content_block_stop
                    }
                }
            }
            throw UpstreamException.broken("anthropic", "stream ended before message_stop");
        }

        private void blockStart(JsonNode data) {
            JsonNode block = data.path("content_block");
            if (block.path("type").asText().equals("tool_use")) {
                int slot = toolSlots.size();
                toolSlots.put(data.path("index").asInt(), slot);
                sink.chunk(shapes.toolCallStartChunk(
                        slot, block.path("id").asText(), block.path("name").asText(), ""));
            } else if (block.path("type").asText().equals("text")
                    && !block.path("text").asText().isEmpty()) {
                sink.chunk(shapes.contentChunk(block.path("text").asText()));
            }
        }

        private void blockDelta(JsonNode data) {
            JsonNode delta = data.path("delta");
            switch (delta.path("type").asText()) {
                case "text_delta" ->
                    sink.chunk(shapes.contentChunk(delta.path("text").asText()));
                case "input_json_delta" -> {
                    Integer slot = toolSlots.get(data.path("index").asInt());
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

    static String finishReason(String stopReason) {
        return switch (stopReason) {
            case "max_tokens" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop";
        };
    }

    /**
     * OpenAI's prompt tokens include Anthropic's cache reads and writes (Anthropic's {@code input_tokens} counts
     * only the tokens after the last cache breakpoint); both are kept apart for pricing.
     */
    static Usage usage(JsonNode usage) {
        long cacheRead = usage.path("cache_read_input_tokens").asLong();
        long cacheWrite = usage.path("cache_creation_input_tokens").asLong();
        return new Usage(
                usage.path("input_tokens").asLong() + cacheRead + cacheWrite,
                usage.path("output_tokens").asLong(),
                cacheRead,
                cacheWrite);
    }

    private static URI endpoint(Deployment d) {
        return URI.create(d.baseUrl() + "/v1/messages");
    }

    private static Map<String, String> headers(Deployment d) {
        Map<String, String> headers = new HashMap<>();
        headers.put("anthropic-version", VERSION);
        d.apiKey().ifPresent(key -> headers.put("x-api-key", key));
        return headers;
    }
}
