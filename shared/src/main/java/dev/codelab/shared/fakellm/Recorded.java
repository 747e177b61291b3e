package dev.codelab.shared.fakellm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.http.Json;
import java.io.IOException;
import java.util.Map;

/**
 * One request as it arrived at a {@link FakeLlm}.
 *
 * @param path the path without the query
 * @param query the raw query, or null
 * @param headers header names lower-cased, the first value of each
 * @param clientPort which connection carried it
 * @param arrivedNanos {@link System#nanoTime()} on arrival
 */
public record Recorded(
        String method,
        String path,
        String query,
        Map<String, String> headers,
        String body,
        int clientPort,
        long arrivedNanos) {

    public JsonNode json() {
        try {
            return Json.read(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the body asks for a streamed answer ({@code "stream": true}). */
    public boolean streams() {
        return body.contains("\"stream\"") && json().path("stream").asBoolean(false);
    }
}
