package dev.codelab.llmproxy.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.http.Json;
import java.io.IOException;

/** Reading OpenAI message content, which is a string, null, or an array of typed parts. */
public final class MessageContent {

    private MessageContent() {}

    /** The text of a message's {@code content}: the string itself, or the text parts joined. */
    public static String text(JsonNode content) {
        if (content == null || content.isNull() || content.isMissingNode()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if (part.path("type").asText().equals("text")) {
                text.append(part.path("text").asText());
            }
        }
        return text.toString();
    }

    /** Tool-call arguments (a JSON string) as an object; an empty object when they are not a JSON object. */
    public static JsonNode arguments(String json) {
        try {
            JsonNode parsed = Json.read(json);
            return parsed.isObject() ? parsed : Json.MAPPER.createObjectNode();
        } catch (IOException e) {
            return Json.MAPPER.createObjectNode();
        }
    }
}
