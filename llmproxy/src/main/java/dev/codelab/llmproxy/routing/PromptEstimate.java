package dev.codelab.llmproxy.routing;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A request's prompt size in tokens, estimated without a tokenizer: four characters of text a token (the
 * messages' strings and the tool definitions) plus a few tokens per message for its framing. Good enough to tell
 * a 200 000-token prompt from a 128 000-token window; the provider counts exactly.
 */
public final class PromptEstimate {

    private static final int CHARS_PER_TOKEN = 4;
    private static final int TOKENS_PER_MESSAGE = 4;

    private PromptEstimate() {}

    /** The estimated prompt tokens of a chat-completions body. */
    public static int of(JsonNode body) {
        long chars = textLength(body.path("messages")) + textLength(body.path("tools"));
        long tokens = chars / CHARS_PER_TOKEN
                + (long) TOKENS_PER_MESSAGE * body.path("messages").size();
        return (int) Math.min(Integer.MAX_VALUE, tokens);
    }

    private static long textLength(JsonNode node) {
        if (node.isTextual()) {
            return node.asText().length();
        }
        long length = 0;
        for (JsonNode child : node) {
            length += textLength(child);
        }
        return length;
    }
}
