package dev.codelab.llmproxy.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.shared.http.Json;

/** Token counts of one completion, in OpenAI's terms. */
public record Usage(long promptTokens, long completionTokens) {

    public static final Usage NONE = new Usage(0, 0);

    /** Reads an OpenAI {@code usage} object; {@link #NONE} when it is missing or null. */
    public static Usage fromOpenAi(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return NONE;
        }
        return new Usage(usage.path("prompt_tokens").asLong(), usage.path("completion_tokens").asLong());
    }

    public long totalTokens() {
        return promptTokens + completionTokens;
    }

    public ObjectNode toJson() {
        ObjectNode usage = Json.MAPPER.createObjectNode();
        usage.put("prompt_tokens", promptTokens);
        usage.put("completion_tokens", completionTokens);
        usage.put("total_tokens", totalTokens());
        return usage;
    }
}
