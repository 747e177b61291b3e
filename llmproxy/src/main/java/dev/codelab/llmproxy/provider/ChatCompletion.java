package dev.codelab.llmproxy.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.shared.http.Json;
import java.nio.charset.StandardCharsets;

/**
 * A non-streamed answer: the OpenAI {@code chat.completion} object, and the bytes the caller gets — an OpenAI
 * provider's own, which pass through unchanged, or the object written as JSON.
 */
public record ChatCompletion(ObjectNode json, byte[] bytes) {

    /** An answer the proxy built (translated from another protocol, or the fake model's). */
    public static ChatCompletion of(ObjectNode json) {
        return new ChatCompletion(json, Json.write(json).getBytes(StandardCharsets.UTF_8));
    }
}
