package dev.codelab.llmproxy.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.shared.http.Json;

/** Translates an OpenAI chat completion request into an Anthropic Messages API request. */
final class AnthropicRequestMapper {

    private AnthropicRequestMapper() {}

    /** @param cacheBreakpoints how many {@code cache_control} breakpoints to place ({@link CacheBreakpoints}) */
    static ObjectNode translate(ObjectNode openAi, String model, int defaultMaxTokens, int cacheBreakpoints) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("model", model);
        int maxTokens = openAi.path("max_tokens")
                .asInt(openAi.path("max_completion_tokens").asInt(defaultMaxTokens));
        body.put("max_tokens", maxTokens);
        String system = copyMessages(openAi, body.putArray("messages"));
        if (!system.isEmpty()) {
            body.put("system", system);
        }
        copyTools(openAi, body);
        copyOptions(openAi, body);
        CacheBreakpoints.place(body, cacheBreakpoints);
        return body;
    }

    /** Adds the conversation to {@code messages}; returns the system prompt, which Anthropic takes apart. */
    private static String copyMessages(ObjectNode openAi, ArrayNode messages) {
        StringBuilder system = new StringBuilder();
        for (JsonNode message : openAi.path("messages")) {
            String role = message.path("role").asText();
            switch (role) {
                case "system", "developer" -> append(system, MessageContent.text(message.path("content")));
                case "assistant" -> add(messages, "assistant", assistantBlocks(message));
                case "tool", "function" -> add(messages, "user", toolResult(message));
                default -> add(messages, "user", textBlocks(MessageContent.text(message.path("content"))));
            }
        }
        if (openAi.path("response_format").path("type").asText().startsWith("json")) {
            append(system, "Answer with one JSON object only, no other text.");
        }
        return system.toString();
    }

    /** Stop sequences, sampling, the end user and the stream flag. */
    private static void copyOptions(ObjectNode openAi, ObjectNode body) {
        if (openAi.has("stop")) {
            ArrayNode stops = body.putArray("stop_sequences");
            JsonNode stop = openAi.get("stop");
            if (stop.isTextual()) {
                stops.add(stop.asText());
            } else {
                stop.forEach(stops::add);
            }
        }
        for (String field : new String[] {"temperature", "top_p"}) {
            if (openAi.hasNonNull(field)) {
                body.set(field, openAi.get(field));
            }
        }
        if (openAi.path("user").isTextual()) {
            body.putObject("metadata").put("user_id", openAi.get("user").asText());
        }
        if (openAi.path("stream").asBoolean(false)) {
            body.put("stream", true);
        }
    }

    private static void copyTools(ObjectNode openAi, ObjectNode body) {
        if (!openAi.path("tools").isArray() || openAi.path("tools").isEmpty()) {
            return;
        }
        ArrayNode tools = body.putArray("tools");
        for (JsonNode tool : openAi.get("tools")) {
            JsonNode function = tool.path("function");
            ObjectNode converted =
                    tools.addObject().put("name", function.path("name").asText());
            if (function.hasNonNull("description")) {
                converted.put("description", function.get("description").asText());
            }
            converted.set(
                    "input_schema",
                    function.has("parameters")
                            ? function.get("parameters")
                            : Json.MAPPER.createObjectNode().put("type", "object"));
        }
        ObjectNode choice = toolChoice(openAi.get("tool_choice"));
        if (openAi.path("parallel_tool_calls").isBoolean()
                && !openAi.get("parallel_tool_calls").asBoolean()) {
            choice.put("disable_parallel_tool_use", true);
        }
        body.set("tool_choice", choice);
    }

    private static ObjectNode toolChoice(JsonNode choice) {
        ObjectNode converted = Json.MAPPER.createObjectNode();
        if (choice == null || choice.isNull()) {
            return converted.put("type", "auto");
        }
        if (choice.isObject()) {
            return converted
                    .put("type", "tool")
                    .put("name", choice.path("function").path("name").asText());
        }
        return switch (choice.asText()) {
            case "required" -> converted.put("type", "any");
            case "none" -> converted.put("type", "none");
            default -> converted.put("type", "auto");
        };
    }

    private static ArrayNode assistantBlocks(JsonNode message) {
        ArrayNode blocks = textBlocks(MessageContent.text(message.path("content")));
        for (JsonNode call : message.path("tool_calls")) {
            ObjectNode block = blocks.addObject()
                    .put("type", "tool_use")
                    .put("id", call.path("id").asText())
                    .put("name", call.path("function").path("name").asText());
            block.set(
                    "input",
                    MessageContent.arguments(
                            call.path("function").path("arguments").asText("{}")));
        }
        return blocks;
    }

    private static ArrayNode toolResult(JsonNode message) {
        ArrayNode blocks = Json.MAPPER.createArrayNode();
        blocks.addObject()
                .put("type", "tool_result")
                .put(
                        "tool_use_id",
                        message.path("tool_call_id")
                                .asText(message.path("call_id").asText()))
                .put("content", MessageContent.text(message.path("content")));
        return blocks;
    }

    private static ArrayNode textBlocks(String text) {
        ArrayNode blocks = Json.MAPPER.createArrayNode();
        if (!text.isEmpty()) {
            blocks.addObject().put("type", "text").put("text", text);
        }
        return blocks;
    }

    /** Anthropic requires alternating roles: a message with the previous message's role is merged into it. */
    private static void add(ArrayNode messages, String role, ArrayNode blocks) {
        if (blocks.isEmpty()) {
            return;
        }
        JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        if (last != null && last.path("role").asText().equals(role)) {
            ((ArrayNode) last.get("content")).addAll(blocks);
            return;
        }
        ObjectNode message = messages.addObject().put("role", role);
        message.set("content", blocks);
    }

    private static void append(StringBuilder system, String text) {
        if (text.isEmpty()) {
            return;
        }
        if (!system.isEmpty()) {
            system.append("\n\n");
        }
        system.append(text);
    }
}
