package dev.codelab.llmproxy.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.llmproxy.registry.Deployment;
import dev.codelab.shared.http.Json;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** The Anthropic Messages API ({@code POST /v1/messages}), translated to and from OpenAI chat completions. */
public final class AnthropicMapper implements ProviderMapper {

    static final String NAME = "anthropic";
    static final String VERSION = "2023-06-01";

    private final int defaultMaxTokens;

    /** @param defaultMaxTokens Anthropic's required {@code max_tokens}, for requests that set none */
    public AnthropicMapper(int defaultMaxTokens) {
        this.defaultMaxTokens = defaultMaxTokens;
    }

    @Override
    public String name(Deployment d) {
        return NAME;
    }

    @Override
    public URI endpoint(Deployment d) {
        return URI.create(d.baseUrl() + "/v1/messages");
    }

    @Override
    public Map<String, String> headers(Deployment d) {
        Map<String, String> headers = new HashMap<>();
        headers.put("anthropic-version", VERSION);
        d.apiKey().ifPresent(key -> headers.put("x-api-key", key));
        return headers;
    }

    /** The caller's {@code stream} flag is carried over as it is. */
    @Override
    public ObjectNode request(ObjectNode body, Deployment d, boolean stream) {
        return AnthropicRequestMapper.translate(body, d.model(), defaultMaxTokens, d.cacheBreakpoints());
    }

    @Override
    public ChatCompletion completion(JsonNode answer, byte[] bytes, Deployment d) {
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
        return ChatCompletion.of(new OpenAiShapes(answer.path("model").asText(d.model()))
                .completion(
                        content,
                        toolCalls,
                        finishReason(answer.path("stop_reason").asText()),
                        usage(answer.path("usage"))));
    }

    @Override
    public StreamFraming framing() {
        return StreamFraming.SSE;
    }

    @Override
    public StreamMapper stream(Deployment d, ChunkSink sink) {
        return new AnthropicStreamMapper(d.model(), sink);
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
}
