package dev.codelab.cli.chat.tools;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Predicate;

/** Typed reads of a tool call's arguments, failing with a message the agent can act on. */
record Arguments(String tool, JsonNode json) {

    String requiredText(String name) throws ToolFailure {
        JsonNode value = json.path(name);
        if (!value.isTextual()) {
            throw new ToolFailure(tool + ": argument '" + name + "' (string) is required");
        }
        return value.asText();
    }

    String text(String name, String fallback) throws ToolFailure {
        JsonNode value = optional(name, JsonNode::isTextual, "a string");
        return value == null ? fallback : value.asText();
    }

    boolean flag(String name, boolean fallback) throws ToolFailure {
        JsonNode value = optional(name, JsonNode::isBoolean, "true or false");
        return value == null ? fallback : value.asBoolean();
    }

    Integer number(String name) throws ToolFailure {
        JsonNode value = optional(name, n -> n.isIntegralNumber() && n.canConvertToInt(), "an integer");
        return value == null ? null : value.asInt();
    }

    /** The value, {@code null} when absent or JSON null, a failure when present with the wrong type. */
    private JsonNode optional(String name, Predicate<JsonNode> valid, String expected) throws ToolFailure {
        JsonNode value = json.path(name);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!valid.test(value)) {
            throw new ToolFailure(tool + ": argument '" + name + "' must be " + expected);
        }
        return value;
    }
}
