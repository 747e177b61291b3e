package dev.codelab.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A tool call that waits for the user's decision.
 *
 * @param callId    the call to answer with a {@code hitl_decision}
 * @param toolName  the tool
 * @param arguments its arguments
 * @param reason    why approval is needed
 * @param createdAt when the call was made
 * @param diff      the unified diff of the file change, or {@code null}
 */
public record PendingApproval(
        String callId, String toolName, JsonNode arguments, String reason, String createdAt, String diff) {}
