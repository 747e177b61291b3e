package dev.codelab.agent.turn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.http.Json;

/** Texts the model reads as tool results that the runtime writes itself. */
final class ToolResultTexts {

    private ToolResultTexts() {}

    /** The IDE's answer as the model reads it: the error, the result's text, or a plain success. */
    static String of(JsonNode result, String error) {
        if (error != null) {
            return "Error: " + error;
        }
        if (result == null
                || result.isNull()
                || result.isMissingNode()
                || (result.isTextual() && result.asText().isEmpty())
                || (result.isContainerNode() && result.isEmpty())) {
            return "Tool executed successfully";
        }
        return result.isTextual() ? result.asText() : Json.write(result);
    }

    /** The policy's refusal of a call, as the error of its result. */
    static String refusedByPolicy(String reason) {
        return "the approval policy refused this call: " + reason;
    }

    /** Tells the model that only the first of its calls ran; empty when it made one. */
    static String droppedNote(int dropped) {
        return dropped == 0
                ? ""
                : "\n[Note: you called " + (dropped + 1) + " tools at once; only the first ran and " + "the other "
                        + dropped + " were ignored. Call one tool per step.]";
    }
}
