package dev.codelab.llmproxy.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.shared.http.Json;

/**
 * Places Anthropic's {@code cache_control} breakpoints on a Messages API request, at most {@code limit} of them,
 * in this order of value: the system prompt (which caches the tool definitions before it as well, and is the same
 * for every session of one agent), the last message (the whole conversation so far, which the next call of the
 * session starts with), the last tool definition (for when the system prompt changes). Anthropic reads the longest
 * cached prefix that ends at a breakpoint, so a caller whose prompt prefix stays byte-identical pays the cache-read
 * price for it on every later call.
 */
final class CacheBreakpoints {

    /** The most breakpoints Anthropic accepts in one request. */
    static final int PROVIDER_LIMIT = 4;

    private CacheBreakpoints() {}

    static void place(ObjectNode body, int limit) {
        int left = Math.min(limit, PROVIDER_LIMIT);
        if (left > 0 && body.path("system").isTextual()) {
            ArrayNode system = Json.MAPPER.createArrayNode();
            mark(system.addObject()
                    .put("type", "text")
                    .put("text", body.get("system").asText()));
            body.set("system", system);
            left--;
        }
        JsonNode messages = body.path("messages");
        if (left > 0 && !messages.isEmpty()) {
            JsonNode blocks = messages.get(messages.size() - 1).path("content");
            if (!blocks.isEmpty()) {
                mark((ObjectNode) blocks.get(blocks.size() - 1));
                left--;
            }
        }
        JsonNode tools = body.path("tools");
        if (left > 0 && !tools.isEmpty()) {
            mark((ObjectNode) tools.get(tools.size() - 1));
        }
    }

    private static void mark(ObjectNode block) {
        block.putObject("cache_control").put("type", "ephemeral");
    }
}
