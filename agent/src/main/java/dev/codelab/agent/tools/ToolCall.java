package dev.codelab.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.shared.http.Json;

/**
 * One tool call of the model: its id, the tool's name and the raw argument text the model produced.
 */
public record ToolCall(String id, String name, String argumentsJson) {

    /** The arguments as an object, or an empty object when the model's text is not a JSON object. */
    public JsonNode arguments() {
        try {
            JsonNode node = Json.read(argumentsJson == null || argumentsJson.isBlank() ? "{}" : argumentsJson);
            return node.isObject() ? node : Json.MAPPER.createObjectNode();
        } catch (java.io.IOException e) {
            return Json.MAPPER.createObjectNode();
        }
    }

    public ToolCall withId(String newId) {
        return new ToolCall(newId, name, argumentsJson);
    }

    public ToolCall withArguments(JsonNode args) {
        return new ToolCall(id, name, Json.write(args));
    }

    /** The OpenAI {@code tool_calls} array holding this call. */
    public ArrayNode toOpenAiArray() {
        ArrayNode array = Json.MAPPER.createArrayNode();
        ObjectNode call = array.addObject();
        call.put("id", id);
        call.put("type", "function");
        ObjectNode function = call.putObject("function");
        function.put("name", name);
        function.put("arguments", argumentsJson == null ? "" : argumentsJson);
        return array;
    }

    /** The first call of an OpenAI {@code tool_calls} array. */
    public static ToolCall fromOpenAiArray(JsonNode toolCalls) {
        JsonNode call = toolCalls.get(0);
        return new ToolCall(
                call.path("id").asText(),
                call.path("function").path("name").asText(),
                call.path("function").path("arguments").asText());
    }
}
