package dev.codelab.agent.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.http.Json;

/**
 * The {@code pending_approvals} table: tool calls waiting for the user's decision, and the decisions.
 */
public final class Approvals {

    private static final String COLUMNS = "call_id, tool_name, arguments, reason, status, created_at";

    private Approvals() {
    }

    public record Approval(String callId, String toolName, JsonNode arguments, String reason, String status,
                           OffsetDateTime createdAt) {
    }

    public static void insert(Connection c, String sessionId, String callId, String tool, JsonNode arguments,
                              String reason) {
        Sql.update(c, "INSERT INTO pending_approvals (session_id, call_id, tool_name, arguments, reason) "
                + "VALUES (?, ?, ?, ?::jsonb, ?)", sessionId, callId, tool, Json.write(arguments), reason);
    }

    public static Optional<Approval> findPending(Connection c, String sessionId, String callId) {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM pending_approvals WHERE session_id = ? AND call_id = ? "
                + "AND status = 'pending'", Approvals::map, sessionId, callId);
    }

    public static List<Approval> listPending(Connection c, String sessionId) {
        return Sql.list(c, "SELECT " + COLUMNS + " FROM pending_approvals WHERE session_id = ? AND status = 'pending' "
                + "ORDER BY created_at, id", Approvals::map, sessionId);
    }

    /** Records the decision on a pending approval ({@code approved}, {@code edited}, {@code rejected}). */
    public static void decide(Connection c, String sessionId, String callId, String status, JsonNode modified,
                              String feedback) {
        Sql.update(c, "UPDATE pending_approvals SET status = ?, modified_arguments = ?::jsonb, feedback = ?, "
                        + "decided_at = now() WHERE session_id = ? AND call_id = ? AND status = 'pending'",
                status, modified == null ? null : Json.write(modified), feedback, sessionId, callId);
    }

    /** Expires whatever still waits (the user moved on with a new message or cancelled). */
    public static void expireAll(Connection c, String sessionId) {
        Sql.update(c, "UPDATE pending_approvals SET status = 'expired', decided_at = now() "
                + "WHERE session_id = ? AND status = 'pending'", sessionId);
    }

    private static Approval map(ResultSet r) throws SQLException {
        try {
            return new Approval(r.getString("call_id"), r.getString("tool_name"), Json.read(r.getString("arguments")),
                    r.getString("reason"), r.getString("status"), r.getObject("created_at", OffsetDateTime.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
