package dev.codelab.agent.turn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.agent.agents.AgentType;
import dev.codelab.shared.http.ApiException;
import dev.codelab.shared.http.Json;
import io.helidon.http.Status;
import java.util.Locale;
import java.util.Optional;

/**
 * A client frame of docs/protocol.md, parsed and checked for shape (400 otherwise, before any streaming).
 */
public sealed interface TurnInput {

    record UserMessage(String content, Optional<AgentType> agent) implements TurnInput {}

    /** {@code error} is null when the tool succeeded; {@code result} may be null. */
    record ToolResult(String callId, JsonNode result, String error) implements TurnInput {}

    /** {@code modifiedArguments} is set only for {@link Choice#EDIT}. */
    record HitlDecision(String callId, Choice choice, JsonNode modifiedArguments, String feedback)
            implements TurnInput {

        /** The user's {@code decision} on a call that asked for approval. */
        public enum Choice {
            APPROVE,
            EDIT,
            REJECT;

            static Optional<Choice> parse(String wire) {
                for (Choice choice : values()) {
                    if (choice.name().toLowerCase(Locale.ROOT).equals(wire)) {
                        return Optional.of(choice);
                    }
                }
                return Optional.empty();
            }
        }
    }

    record SwitchAgent(AgentType agent, String reason) implements TurnInput {}

    record Cancel() implements TurnInput {}

    /** Condense the session's context now. */
    record Condense() implements TurnInput {}

    /** Resume the turn the model failed in. */
    record Continue() implements TurnInput {}

    static TurnInput parse(JsonNode message) {
        if (message == null || !message.isObject()) {
            throw invalid("invalid_format", "'message' must be a JSON object");
        }
        String type = message.path("type").asText("");
        return switch (type) {
            case "user_message" -> {
                String content = requiredText(message, "content");
                yield new UserMessage(content, optionalAgent(message, "agent_type"));
            }
            case "tool_result" -> toolResult(message);
            case "hitl_decision" -> hitlDecision(message);
            case "switch_agent" -> {
                AgentType agent = optionalAgent(message, "agent_type")
                        .orElseThrow(() -> invalid("missing_field", "agent_type is required for switch_agent"));
                JsonNode reason = message.get("reason");
                yield new SwitchAgent(
                        agent,
                        reason != null && reason.isTextual() && !reason.asText().isBlank()
                                ? reason.asText()
                                : "User requested agent switch");
            }
            case "cancel" -> new Cancel();
            case "condense" -> new Condense();
            case "continue" -> new Continue();
            default -> throw invalid("invalid_type", "Unknown message type: " + type);
        };
    }

    private static ToolResult toolResult(JsonNode message) {
        String callId = requiredText(message, "call_id");
        JsonNode error = message.get("error");
        String errorText =
                error == null || error.isNull() ? null : error.isTextual() ? error.asText() : Json.write(error);
        return new ToolResult(callId, message.get("result"), errorText);
    }

    private static HitlDecision hitlDecision(JsonNode message) {
        String callId = requiredText(message, "call_id");
        HitlDecision.Choice choice = HitlDecision.Choice.parse(requiredText(message, "decision"))
                .orElseThrow(() -> invalid("invalid_field", "decision must be approve, edit or reject"));
        JsonNode modified = message.get("modified_arguments");
        boolean edit = choice == HitlDecision.Choice.EDIT;
        if (edit && (modified == null || !modified.isObject())) {
            throw invalid("missing_field", "modified_arguments (an object) is required for decision edit");
        }
        JsonNode feedback = message.get("feedback");
        return new HitlDecision(
                callId,
                choice,
                edit ? modified : null,
                feedback != null && feedback.isTextual() ? feedback.asText() : null);
    }

    private static String requiredText(JsonNode message, String field) {
        JsonNode value = message.get(field);
        if (value == null || value.isNull()) {
            throw invalid(
                    "missing_field",
                    field + " is required for " + message.path("type").asText());
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw invalid("invalid_field", field + " must be a non-blank string");
        }
        return value.asText();
    }

    private static Optional<AgentType> optionalAgent(JsonNode message, String field) {
        JsonNode value = message.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        return Optional.of(AgentType.parse(value.asText(null))
                .orElseThrow(() -> invalid("invalid_field", "Invalid agent_type: " + value.asText())));
    }

    private static ApiException invalid(String code, String message) {
        return new ApiException(Status.BAD_REQUEST_400, code, message);
    }
}
