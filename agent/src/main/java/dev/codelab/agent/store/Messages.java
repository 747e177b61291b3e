package dev.codelab.agent.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.http.Json;

/**
 * The append-only {@code messages} table: the conversation in OpenAI shape, ordered by {@code seq}.
 */
public final class Messages {

    private static final String COLUMNS = "id, seq, role, content, agent_name, tool_calls, tool_call_id, "
            + "dropped_tool_calls, status, created_at, token_count";

    private Messages() {
    }

    public record Message(UUID id, long seq, String role, String content, String agentName, JsonNode toolCalls,
                          String toolCallId, int droppedToolCalls, String status, OffsetDateTime createdAt,
                          Integer tokenCount) {

        public boolean hasToolCalls() {
            return toolCalls != null && toolCalls.isArray() && !toolCalls.isEmpty();
        }
    }

    /** What to append; seq, id and time are assigned by {@link #append}. */
    public record NewMessage(String role, String content, String agentName, JsonNode toolCalls, String toolCallId,
                             int droppedToolCalls, String status, Integer tokenCount) {

        public static NewMessage user(String content) {
            return new NewMessage("user", content, null, null, null, 0, "complete", null);
        }

        public static NewMessage tool(String callId, String content) {
            return new NewMessage("tool", content, null, null, callId, 0, "complete", null);
        }

        public static NewMessage assistant(String agent, String content, JsonNode toolCalls, int dropped,
                                           String status, Integer tokens) {
            return new NewMessage("assistant", content, agent, toolCalls, null, dropped, status, tokens);
        }
    }

    /** Appends after the session's last message. Callers hold the session lock, so seq cannot race. */
    public static void append(Connection c, String sessionId, NewMessage m) {
        Sql.update(c, "INSERT INTO messages (id, session_id, seq, role, content, agent_name, tool_calls, tool_call_id, "
                        + "dropped_tool_calls, status, token_count) VALUES (?, ?, "
                        + "(SELECT coalesce(max(seq), 0) + 1 FROM messages WHERE session_id = ?), ?, ?, ?, ?::jsonb, ?, ?, ?, ?)",
                UUID.randomUUID(), sessionId, sessionId, m.role(), m.content(), m.agentName(),
                m.toolCalls() == null ? null : Json.write(m.toolCalls()), m.toolCallId(), m.droppedToolCalls(),
                m.status(), m.tokenCount());
    }

    public static List<Message> all(Connection c, String sessionId) {
        return Sql.list(c, "SELECT " + COLUMNS + " FROM messages WHERE session_id = ? ORDER BY seq", Messages::map,
                sessionId);
    }

    /** The newest {@code limit} messages before the message {@code beforeId} (all when null), oldest first. */
    public static List<Message> page(Connection c, String sessionId, int limit, UUID beforeId) {
        return Sql.list(c, "SELECT * FROM (SELECT " + COLUMNS + " FROM messages WHERE session_id = ? "
                        + "AND (?::uuid IS NULL OR seq < (SELECT seq FROM messages WHERE id = ?::uuid AND session_id = ?)) "
                        + "ORDER BY seq DESC LIMIT ?) page ORDER BY seq",
                Messages::map, sessionId, beforeId, beforeId, sessionId, limit);
    }

    public static boolean exists(Connection c, String sessionId, UUID id) {
        return Sql.one(c, "SELECT 1 FROM messages WHERE session_id = ? AND id = ?", r -> true, sessionId, id)
                .isPresent();
    }

    /**
     * The assistant message whose tool call still waits for its result: the newest message, if it is an assistant
     * message with a tool call (a result always directly follows its call).
     */
    public static Optional<Message> awaitingResult(Connection c, String sessionId) {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM messages WHERE session_id = ? ORDER BY seq DESC LIMIT 1",
                Messages::map, sessionId).filter(Message::hasToolCalls);
    }

    /** Whether a tool call with this id was already made in the session. */
    public static boolean callIdUsed(Connection c, String sessionId, String callId) {
        return Sql.one(c, "SELECT 1 FROM messages WHERE session_id = ? AND tool_call_id = ? LIMIT 1", r -> true,
                sessionId, callId).isPresent()
                || Sql.one(c, "SELECT 1 FROM messages WHERE session_id = ? AND tool_calls @> ?::jsonb LIMIT 1",
                r -> true, sessionId, "[{\"id\":" + Json.write(callId) + "}]").isPresent();
    }

    /** The assistant tool-call messages since the last user message, newest first. */
    public static List<Message> toolCallsSinceLastUserMessage(Connection c, String sessionId, int limit) {
        return Sql.list(c, "SELECT " + COLUMNS + " FROM messages WHERE session_id = ? AND role = 'assistant' "
                        + "AND tool_calls IS NOT NULL AND seq > (SELECT coalesce(max(seq), 0) FROM messages "
                        + "WHERE session_id = ? AND role = 'user') ORDER BY seq DESC LIMIT ?",
                Messages::map, sessionId, sessionId, limit);
    }

    /** The one permitted rewrite: the user edited a call's arguments before it ran (agent.md, hitl edit). */
    public static void replaceToolCalls(Connection c, UUID messageId, JsonNode toolCalls) {
        Sql.update(c, "UPDATE messages SET tool_calls = ?::jsonb WHERE id = ?", Json.write(toolCalls), messageId);
    }

    private static Message map(ResultSet r) throws SQLException {
        String calls = r.getString("tool_calls");
        Integer tokens = (Integer) r.getObject("token_count");
        return new Message(r.getObject("id", UUID.class), r.getLong("seq"), r.getString("role"),
                r.getString("content"), r.getString("agent_name"), calls == null ? null : parse(calls),
                r.getString("tool_call_id"), r.getInt("dropped_tool_calls"), r.getString("status"),
                r.getObject("created_at", OffsetDateTime.class), tokens);
    }

    private static JsonNode parse(String json) {
        try {
            return Json.read(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
