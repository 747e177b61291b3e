package dev.codelab.cli.chat.tools;

import com.fasterxml.jackson.databind.JsonNode;

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
        JsonNode value = json.path(name);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isTextual()) {
            throw new ToolFailure(tool + ": argument '" + name + "' must be a string");
        }
        return value.asText();
    }

    boolean flag(String name, boolean fallback) throws ToolFailure {
        JsonNode value = json.path(name);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw new ToolFailure(tool + ": argument '" + name + "' must be true or false");
        }
        return value.asBoolean();
    }

    Integer number(String name) throws ToolFailure {
        JsonNode value = json.path(name);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new ToolFailure(tool + ": argument '" + name + "' must be an integer");
        }
        return value.asInt();
    }
}
