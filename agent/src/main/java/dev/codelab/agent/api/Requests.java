package dev.codelab.agent.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.http.ApiException;
import dev.codelab.shared.http.Json;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Reading request bodies and query parameters with the documented 400 answers.
 */
final class Requests {

    private Requests() {}

    /** The body as a JSON object; an empty body is an empty object when {@code optional}. */
    static JsonNode jsonObject(ServerRequest req, boolean optional) {
        String text = req.content().hasEntity() ? req.content().as(String.class) : "";
        if (text.isBlank()) {
            if (optional) {
                return Json.MAPPER.createObjectNode();
            }
            throw new ApiException(Status.BAD_REQUEST_400, "invalid_format", "A JSON body is required");
        }
        try {
            JsonNode node = Json.read(text);
            if (!node.isObject()) {
                throw new ApiException(Status.BAD_REQUEST_400, "invalid_format", "The body must be a JSON object");
            }
            if (holdsNul(node)) {
                throw new ApiException(
                        Status.BAD_REQUEST_400, "invalid_field", "Text must not contain NUL (\\u0000) characters");
            }
            return node;
        } catch (IOException e) {
            throw new ApiException(Status.BAD_REQUEST_400, "invalid_format", "The body is not valid JSON");
        }
    }

    /** PostgreSQL text and jsonb cannot store U+0000; found anywhere, it was a 500 on insert. */
    private static boolean holdsNul(JsonNode node) {
        if (node.isTextual()) {
            return node.asText().indexOf('\0') >= 0;
        }
        if (node.isObject()) {
            for (var field : (Iterable<Map.Entry<String, JsonNode>>) node::fields) {
                if (field.getKey().indexOf('\0') >= 0 || holdsNul(field.getValue())) {
                    return true;
                }
            }
            return false;
        }
        for (JsonNode element : node) {
            if (holdsNul(element)) {
                return true;
            }
        }
        return false;
    }

    /** An optional string field; 400 when present but not a string or longer than {@code maxLength}. */
    static Optional<String> optionalText(JsonNode body, String field, int maxLength) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual() || value.asText().length() > maxLength) {
            throw new ApiException(
                    Status.BAD_REQUEST_400,
                    "invalid_field",
                    field + " must be a string of at most " + maxLength + " characters");
        }
        return Optional.of(value.asText());
    }

    static int intParam(ServerRequest req, String name, int defaultValue, int min, int max) {
        Optional<String> raw = req.query().first(name).asOptional();
        if (raw.isEmpty() || raw.get().isBlank()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(raw.get().strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new ApiException(
                Status.BAD_REQUEST_400, "invalid_field", name + " must be an integer between " + min + " and " + max);
    }
}
