package dev.codelab.client;

/**
 * A chat session as the gateway returns it. Timestamps are ISO-8601 strings exactly as sent.
 *
 * @param sessionId    the session id (also in {@code id}, for the shipped IDE)
 * @param id           same as {@code sessionId}
 * @param title        the title, or {@code null}
 * @param createdAt    creation time
 * @param lastActivity time of the newest message, or {@code null} on create
 * @param currentAgent the agent that answers next ({@code orchestrator} for a new session)
 * @param messageCount number of stored messages
 */
public record Session(
        String sessionId,
        String id,
        String title,
        String createdAt,
        String lastActivity,
        String currentAgent,
        int messageCount) {}
