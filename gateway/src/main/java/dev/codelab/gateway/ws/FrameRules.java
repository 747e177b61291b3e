package dev.codelab.gateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.shared.http.Json;
import java.io.IOException;
import java.util.Set;

/**
 * Checks a client text frame against docs/protocol.md: JSON object, known {@code type}, required fields
 * present and well-typed. The first problem found becomes the error frame.
 */
final class FrameRules {

    static final Set<String> AGENT_TYPES = Set.of("orchestrator", "coder", "architect", "debug", "ask");
    private static final Set<String> DECISIONS = Set.of("approve", "edit", "reject");

    private FrameRules() {}

    /** The valid frame, or throws the error to answer with. */
    static InboundFrame check(String text) throws FrameException {
        ObjectNode json = object(text);
        JsonNode type = json.get("type");
        String name = type == null || !type.isTextual() ? String.valueOf(type) : type.asText();
        switch (name) {
            case InboundFrame.USER_MESSAGE -> {
                nonBlank(json, "content");
                optionalString(json, "role");
                optionalAgent(json, "agent_type");
            }
            case InboundFrame.TOOL_RESULT -> toolResult(json);
            case InboundFrame.HITL_DECISION -> hitlDecision(json);
            case InboundFrame.SWITCH_AGENT -> {
                if (!json.has("agent_type") || json.get("agent_type").isNull()) {
                    throw missing("agent_type");
                }
                optionalAgent(json, "agent_type");
                optionalString(json, "reason");
            }
            case InboundFrame.CANCEL, InboundFrame.CONDENSE, InboundFrame.CONTINUE -> {
                // no fields
            }
            default ->
                throw new FrameException(FrameError.of(FrameError.INVALID_TYPE, "Unknown message type: " + name));
        }
        return new InboundFrame(name, json);
    }

    private static ObjectNode object(String text) throws FrameException {
        JsonNode node;
        try {
            node = Json.read(text);
        } catch (IOException e) {
            throw new FrameException(FrameError.of(FrameError.INVALID_FORMAT, "Invalid JSON message: not valid JSON"));
        }
        if (!(node instanceof ObjectNode json)) {
            throw new FrameException(
                    FrameError.of(FrameError.INVALID_FORMAT, "Invalid JSON message: expected a JSON object"));
        }
        return json;
    }

    private static void toolResult(ObjectNode json) throws FrameException {
        nonBlank(json, "call_id");
        boolean hasResult = json.has("result");
        boolean hasError = json.has("error") && !json.get("error").isNull();
        if (!hasResult && !hasError) {
            throw missing("result");
        }
        if (hasResult && hasError) {
            throw invalid("Send either 'result' or 'error', not both");
        }
        optionalString(json, "error");
    }

    private static void hitlDecision(ObjectNode json) throws FrameException {
        nonBlank(json, "call_id");
        String decision = nonBlank(json, "decision");
        if (!DECISIONS.contains(decision)) {
            throw invalid("Field 'decision' must be approve, edit or reject");
        }
        JsonNode arguments = json.get("modified_arguments");
        boolean hasArguments = arguments != null && !arguments.isNull();
        if (decision.equals("edit") && !hasArguments) {
            throw missing("modified_arguments");
        }
        if (hasArguments && !arguments.isObject()) {
            throw invalid("Field 'modified_arguments' must be an object");
        }
        optionalString(json, "feedback");
    }

    private static String nonBlank(ObjectNode json, String field) throws FrameException {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            throw missing(field);
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw invalid("Field '" + field + "' must be a non-blank string");
        }
        return value.asText();
    }

    private static void optionalString(ObjectNode json, String field) throws FrameException {
        JsonNode value = json.get(field);
        if (value != null && !value.isNull() && !value.isTextual()) {
            throw invalid("Field '" + field + "' must be a string");
        }
    }

    private static void optionalAgent(ObjectNode json, String field) throws FrameException {
        JsonNode value = json.get(field);
        if (value != null && !value.isNull() && !(value.isTextual() && AGENT_TYPES.contains(value.asText()))) {
            throw invalid("Field '" + field + "' must be one of "
                    + String.join(", ", AGENT_TYPES.stream().sorted().toList()));
        }
    }

    private static FrameException missing(String field) {
        return new FrameException(FrameError.of(FrameError.MISSING_FIELD, "Missing required field: " + field));
    }

    private static FrameException invalid(String message) {
        return new FrameException(FrameError.of(FrameError.INVALID_FIELD, message));
    }

    /** A frame that breaks the rules, with the error frame that says why. */
    static final class FrameException extends Exception {

        private final transient FrameError error;

        FrameException(FrameError error) {
            super(error.content(), null, false, false);
            this.error = error;
        }

        FrameError error() {
            return error;
        }
    }
}
