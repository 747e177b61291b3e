package dev.codelab.agent.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.db.Rows;
import dev.codelab.shared.db.Sql;
import dev.codelab.shared.http.Json;
import io.helidon.dbclient.DbRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The append-only {@code messages} table: the conversation in OpenAI shape, ordered by {@code seq}.
 */
public final class MessageStore {

    private static final String COLUMNS = "id, seq, role, content, agent_name, tool_calls, tool_call_id, "
            + "dropped_tool_calls, status, created_at, token_count";

    private MessageStore() {}

    public record Message(
            UUID id,
            long seq,
            String role,
            String content,
            String agentName,
            JsonNode toolCalls,
            String toolCallId,
            int droppedToolCalls,
            MessageStatus status,
            OffsetDateTime createdAt,
            Integer tokenCount) {

        public boolean hasToolCalls() {
            return toolCalls != null && toolCalls.isArray() && !toolCalls.isEmpty();
        }
    }

    /**
     * What to append; seq, id and time are assigned by {@link #append}. Built by the factories, which name what
     * the message is: {@code NewMessage.assistant(agent, text).withToolCalls(calls, dropped).withTokenCount(n)}.
     */
    public record NewMessage(
            String role,
            String content,
            String agentName,
            JsonNode toolCalls,
            String toolCallId,
            int droppedToolCalls,
            MessageStatus status,
            Integer tokenCount) {

        public static NewMessage user(String content) {
            return new NewMessage("user", content, null, null, null, 0, MessageStatus.COMPLETE, null);
        }

        /** The result of the model's tool call {@code callId}. */
        public static NewMessage toolResult(String callId, String content) {
            return new NewMessage("tool", content, null, null, callId, 0, MessageStatus.COMPLETE, null);
        }

        /** A complete answer of {@code agent} (its id) without tool calls or a token count. */
        public static NewMessage assistant(String agent, String content) {
            return new NewMessage("assistant", content, agent, null, null, 0, MessageStatus.COMPLETE, null);
        }

        /** With the OpenAI {@code tool_calls} array and the number of further calls the runtime dropped. */
        public NewMessage withToolCalls(JsonNode calls, int dropped) {
            return new NewMessage(role, content, agentName, calls, toolCallId, dropped, status, tokenCount);
        }

        /** With the completion tokens the provider counted; null when it reported none. */
        public NewMessage withTokenCount(Integer tokens) {
            return new NewMessage(role, content, agentName, toolCalls, toolCallId, droppedToolCalls, status, tokens);
        }

        public NewMessage withStatus(MessageStatus newStatus) {
            return new NewMessage(
                    role, content, agentName, toolCalls, toolCallId, droppedToolCalls, newStatus, tokenCount);
        }
    }

    /** Appends after the session's last message. Callers hold the session lock, so seq cannot race. */
    public static void append(Sql sql, String sessionId, NewMessage m) {
        sql.update(
                "INSERT INTO messages (id, session_id, seq, role, content, agent_name, tool_calls, tool_call_id, "
                        + "dropped_tool_calls, status, token_count) VALUES (?::uuid, ?, "
                        + "(SELECT coalesce(max(seq), 0) + 1 FROM messages WHERE session_id = ?), "
                        + "?, ?, ?, ?::jsonb, ?, ?, ?, ?)",
                UUID.randomUUID(),
                sessionId,
                sessionId,
                m.role(),
                m.content(),
                m.agentName(),
                m.toolCalls() == null ? null : Json.write(m.toolCalls()),
                m.toolCallId(),
                m.droppedToolCalls(),
                m.status().wire(),
                m.tokenCount());
    }

    public static List<Message> all(Sql sql, String sessionId) {
        return sql.list(
                "SELECT " + COLUMNS + " FROM messages WHERE session_id = ? ORDER BY seq", MessageStore::map, sessionId);
    }

    /** The newest {@code limit} messages before the message {@code beforeId} (all when null), oldest first. */
    public static List<Message> page(Sql sql, String sessionId, int limit, UUID beforeId) {
        return sql.list(
                "SELECT * FROM (SELECT " + COLUMNS + " FROM messages WHERE session_id = ? "
                        + "AND (?::uuid IS NULL "
                        + "OR seq < (SELECT seq FROM messages WHERE id = ?::uuid AND session_id = ?)) "
                        + "ORDER BY seq DESC LIMIT ?) page ORDER BY seq",
                MessageStore::map,
                sessionId,
                beforeId,
                beforeId,
                sessionId,
                limit);
    }

    public static boolean exists(Sql sql, String sessionId, UUID id) {
        return sql.one("SELECT 1 FROM messages WHERE session_id = ? AND id = ?::uuid", r -> true, sessionId, id)
                .isPresent();
    }

    /**
     * The assistant message whose tool call still waits for its result: the newest message, if it is an assistant
     * message with a tool call (a result always directly follows its call).
     */
    public static Optional<Message> awaitingResult(Sql sql, String sessionId) {
        return sql.one(
                        "SELECT " + COLUMNS + " FROM messages WHERE session_id = ? ORDER BY seq DESC LIMIT 1",
                        MessageStore::map,
                        sessionId)
                .filter(Message::hasToolCalls);
    }

    /** Whether a tool call with this id was already made in the session. */
    public static boolean callIdUsed(Sql sql, String sessionId, String callId) {
        return sql.one(
                                "SELECT 1 FROM messages WHERE session_id = ? AND tool_call_id = ? LIMIT 1",
                                r -> true,
                                sessionId,
                                callId)
                        .isPresent()
                || sql.one(
                                "SELECT 1 FROM messages WHERE session_id = ? AND tool_calls @> ?::jsonb LIMIT 1",
                                r -> true,
                                sessionId,
                                "[{\"id\":" + Json.write(callId) + "}]")
                        .isPresent();
    }

    /** The assistant tool-call messages since the last user message, newest first. */
    public static List<Message> toolCallsSinceLastUserMessage(Sql sql, String sessionId, int limit) {
        return sql.list(
                "SELECT " + COLUMNS + " FROM messages WHERE session_id = ? AND role = 'assistant' "
                        + "AND tool_calls IS NOT NULL AND seq > (SELECT coalesce(max(seq), 0) FROM messages "
                        + "WHERE session_id = ? AND role = 'user') ORDER BY seq DESC LIMIT ?",
                MessageStore::map,
                sessionId,
                sessionId,
                limit);
    }

    /** The one permitted rewrite: the user edited a call's arguments before it ran (agent.md, hitl edit). */
    public static void replaceToolCalls(Sql sql, UUID messageId, JsonNode toolCalls) {
        sql.update("UPDATE messages SET tool_calls = ?::jsonb WHERE id = ?::uuid", Json.write(toolCalls), messageId);
    }

    private static Message map(DbRow r) {
        String calls = Rows.text(r, "tool_calls");
        return new Message(
                Rows.uuid(r, "id"),
                Rows.longValue(r, "seq"),
                Rows.text(r, "role"),
                Rows.text(r, "content"),
                Rows.text(r, "agent_name"),
                calls == null ? null : parse(calls),
                Rows.text(r, "tool_call_id"),
                Rows.intValue(r, "dropped_tool_calls"),
                MessageStatus.fromWire(Rows.text(r, "status")),
                Rows.utc(r, "created_at"),
                Rows.integer(r, "token_count"));
    }

    private static JsonNode parse(String json) {
        try {
            return Json.read(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
