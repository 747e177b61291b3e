package dev.codelab.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One stored message of a session.
 *
 * @param id         message id
 * @param role       {@code user}, {@code assistant}, {@code tool} or {@code system}
 * @param content    the text (for a tool message: the tool result as text)
 * @param timestamp  when it was stored
 * @param agentName  the agent that wrote an assistant message, else {@code null}
 * @param toolCalls  the tool calls of an assistant message (OpenAI shape), else {@code null}
 * @param toolCallId the call a tool message answers, else {@code null}
 */
public record HistoryMessage(
        String id,
        String role,
        String content,
        String timestamp,
        String agentName,
        JsonNode toolCalls,
        String toolCallId) {}
