package dev.codelab.llmproxy.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.shared.http.Json;

/**
 * Token counts of one completion, in OpenAI's terms: {@code promptTokens} counts every input token, the ones read
 * from the provider's prompt cache ({@code cacheReadTokens}, OpenAI's {@code prompt_tokens_details.cached_tokens})
 * and the ones written to it ({@code cacheWriteTokens}, Anthropic's {@code cache_creation_input_tokens}) included.
 */
public record Usage(long promptTokens, long completionTokens, long cacheReadTokens, long cacheWriteTokens) {

    public static final Usage NONE = new Usage(0, 0);

    /** Usage without prompt caching. */
    public Usage(long promptTokens, long completionTokens) {
        this(promptTokens, completionTokens, 0, 0);
    }

    /** Reads an OpenAI {@code usage} object; {@link #NONE} when it is missing or null. */
    public static Usage fromOpenAi(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return NONE;
        }
        JsonNode details = usage.path("prompt_tokens_details");
        return new Usage(
                usage.path("prompt_tokens").asLong(),
                usage.path("completion_tokens").asLong(),
                details.path("cached_tokens").asLong(),
                details.path("cache_creation_tokens").asLong());
    }

    /** Input tokens that neither came from nor went into the prompt cache: the ones priced at the full input rate. */
    public long uncachedPromptTokens() {
        return Math.max(0, promptTokens - cacheReadTokens - cacheWriteTokens);
    }

    public long totalTokens() {
        return promptTokens + completionTokens;
    }

    /**
     * OpenAI's {@code usage} object; {@code prompt_tokens_details.cached_tokens} as OpenAI reports it, and
     * {@code cache_creation_tokens} (no OpenAI counterpart) beside it.
     */
    public ObjectNode toJson() {
        ObjectNode usage = Json.MAPPER.createObjectNode();
        usage.put("prompt_tokens", promptTokens);
        usage.put("completion_tokens", completionTokens);
        usage.put("total_tokens", totalTokens());
        usage.putObject("prompt_tokens_details")
                .put("cached_tokens", cacheReadTokens)
                .put("cache_creation_tokens", cacheWriteTokens);
        return usage;
    }
}
