package dev.codelab.llmproxy.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.shared.http.Json;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.function.Predicate;

/** Reads and checks a chat completion request body; every problem becomes a 400 or 413 OpenAI error. */
final class ChatRequests {

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");
    private static final Set<String> TOOL_CHOICES = Set.of("none", "auto", "required");
    private static final Set<String> RESPONSE_FORMATS = Set.of("text", "json_object", "json_schema");

    private ChatRequests() {}

    /** The body as a JSON object, refusing bodies larger than {@code maxBytes}. */
    static ObjectNode read(ServerRequest req, long maxBytes) {
        long declared = req.headers().contentLength().orElse(-1);
        if (declared > maxBytes) {
            throw OpenAiException.tooLarge(maxBytes);
        }
        // a declared length sizes the buffer exactly; a chunked body is read up to one byte past the limit
        int toRead = (int) (declared >= 0 ? declared : Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        byte[] bytes;
        try (InputStream in = req.content().inputStream()) {
            bytes = in.readNBytes(toRead);
        } catch (IOException e) {
            throw OpenAiException.invalidJson("Could not read the request body");
        }
        if (bytes.length > maxBytes) {
            throw OpenAiException.tooLarge(maxBytes);
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw OpenAiException.invalidJson("The request body is not valid JSON");
        }
        if (body == null || !body.isObject()) {
            throw OpenAiException.invalidJson("The request body must be a JSON object");
        }
        return (ObjectNode) body;
    }

    static void validate(ObjectNode body) {
        optional(body, "model", JsonNode::isTextual, "a string");
        messages(body.get("messages"));
        samplingOptions(body);
        outputOptions(body);
        toolOptions(body);
    }

    private static void messages(JsonNode messages) {
        if (messages == null || messages.isNull()) {
            throw OpenAiException.invalidRequest("messages", "Missing required parameter: 'messages'");
        }
        if (!messages.isArray() || messages.isEmpty()) {
            throw OpenAiException.invalidRequest("messages", "'messages' must be a non-empty array");
        }
        for (int i = 0; i < messages.size(); i++) {
            message(messages.get(i), "messages[" + i + "]");
        }
    }

    private static void samplingOptions(ObjectNode body) {
        optional(body, "stream", JsonNode::isBoolean, "a boolean");
        optional(body, "temperature", n -> numberBetween(n, 2), "a number between 0 and 2");
        optional(body, "top_p", n -> numberBetween(n, 1), "a number between 0 and 1");
        optional(body, "max_tokens", ChatRequests::positiveInt, "a positive integer");
        optional(body, "max_completion_tokens", ChatRequests::positiveInt, "a positive integer");
        optional(body, "n", n -> n.isIntegralNumber() && n.asInt() == 1, "1 (several choices are not supported)");
        optional(body, "stop", ChatRequests::stop, "a string or an array of strings");
    }

    private static void outputOptions(ObjectNode body) {
        optional(
                body,
                "stream_options",
                n -> n.isObject()
                        && (!n.has("include_usage") || n.get("include_usage").isBoolean()),
                "an object with a boolean include_usage");
        optional(
                body,
                "response_format",
                n -> n.isObject() && RESPONSE_FORMATS.contains(n.path("type").asText()),
                "an object whose type is text, json_object or json_schema");
    }

    private static void toolOptions(ObjectNode body) {
        optional(body, "tools", ChatRequests::tools, "an array of {\"type\":\"function\",\"function\":{\"name\":...}}");
        optional(
                body,
                "tool_choice",
                n -> (n.isTextual() && TOOL_CHOICES.contains(n.asText()))
                        || (n.isObject() && n.path("function").path("name").isTextual()),
                "none, auto, required or {\"type\":\"function\",\"function\":{\"name\":...}}");
    }

    private static boolean numberBetween(JsonNode n, double max) {
        return n.isNumber() && n.asDouble() >= 0 && n.asDouble() <= max;
    }

    private static boolean positiveInt(JsonNode n) {
        return n.canConvertToInt() && n.isIntegralNumber() && n.asInt() > 0;
    }

    private static void message(JsonNode message, String param) {
        if (!message.isObject()) {
            throw OpenAiException.invalidRequest(param, param + " must be an object");
        }
        if (!message.path("role").isTextual()
                || !ROLES.contains(message.get("role").asText())) {
            throw OpenAiException.invalidRequest(param + ".role", param + ".role must be one of " + ROLES);
        }
        JsonNode content = message.get("content");
        if (content != null && !content.isNull() && !content.isTextual() && !content.isArray()) {
            throw OpenAiException.invalidRequest(
                    param + ".content", param + ".content must be a string, an array of parts or null");
        }
        if (message.get("role").asText().equals("tool")
                && !message.path("tool_call_id").isTextual()) {
            throw OpenAiException.invalidRequest(param + ".tool_call_id", "A tool message needs a string tool_call_id");
        }
        toolCalls(message.get("tool_calls"), param + ".tool_calls");
    }

    private static void toolCalls(JsonNode calls, String param) {
        if (calls == null || calls.isNull()) {
            return;
        }
        if (!calls.isArray()) {
            throw OpenAiException.invalidRequest(param, param + " must be an array");
        }
        for (JsonNode call : calls) {
            if (!call.path("id").isTextual()
                    || !call.path("function").path("name").isTextual()
                    || !call.path("function").path("arguments").isTextual()) {
                throw OpenAiException.invalidRequest(
                        param, "Each tool call needs a string id, function.name and function.arguments");
            }
        }
    }

    private static boolean stop(JsonNode stop) {
        if (stop.isTextual()) {
            return true;
        }
        if (!stop.isArray()) {
            return false;
        }
        for (JsonNode item : stop) {
            if (!item.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static boolean tools(JsonNode tools) {
        if (!tools.isArray()) {
            return false;
        }
        for (JsonNode tool : tools) {
            if (!tool.path("type").asText().equals("function")
                    || !tool.path("function").path("name").isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static void optional(ObjectNode body, String field, Predicate<JsonNode> valid, String expected) {
        JsonNode value = body.get(field);
        if (value != null && !value.isNull() && !valid.test(value)) {
            throw OpenAiException.invalidRequest(field, "'" + field + "' must be " + expected);
        }
    }
}
