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

/**
 * The {@code pending_approvals} table: tool calls waiting for the user's decision, and the decisions.
 */
public final class Approvals {

    private static final String COLUMNS = "call_id, tool_name, arguments, reason, status, created_at, diff";

    private Approvals() {}

    /** {@code diff}: the unified diff shown with a file write, or {@code null}. */
    public record Approval(
            String callId,
            String toolName,
            JsonNode arguments,
            String reason,
            String status,
            OffsetDateTime createdAt,
            String diff) {}

    public static void insert(
            Sql sql, String sessionId, String callId, String tool, JsonNode arguments, String reason, String diff) {
        sql.update(
                "INSERT INTO pending_approvals (session_id, call_id, tool_name, arguments, reason, diff) "
                        + "VALUES (?, ?, ?, ?::jsonb, ?, ?)",
                sessionId,
                callId,
                tool,
                Json.write(arguments),
                reason,
                diff);
    }

    /** The approval of this call whatever its status (an edit_file write asks whether the user edited it). */
    public static Optional<Approval> find(Sql sql, String sessionId, String callId) {
        return sql.one(
                "SELECT " + COLUMNS + " FROM pending_approvals WHERE session_id = ? AND call_id = ?",
                Approvals::map,
                sessionId,
                callId);
    }

    public static Optional<Approval> findPending(Sql sql, String sessionId, String callId) {
        return sql.one(
                "SELECT " + COLUMNS + " FROM pending_approvals WHERE session_id = ? AND call_id = ? "
                        + "AND status = 'pending'",
                Approvals::map,
                sessionId,
                callId);
    }

    public static List<Approval> listPending(Sql sql, String sessionId) {
        return sql.list(
                "SELECT " + COLUMNS + " FROM pending_approvals WHERE session_id = ? AND status = 'pending' "
                        + "ORDER BY created_at, id",
                Approvals::map,
                sessionId);
    }

    /** Records the decision on a pending approval ({@code approved}, {@code edited}, {@code rejected}). */
    public static void decide(
            Sql sql, String sessionId, String callId, String status, JsonNode modified, String feedback) {
        sql.update(
                "UPDATE pending_approvals SET status = ?, modified_arguments = ?::jsonb, feedback = ?, "
                        + "decided_at = now() WHERE session_id = ? AND call_id = ? AND status = 'pending'",
                status,
                modified == null ? null : Json.write(modified),
                feedback,
                sessionId,
                callId);
    }

    /** Expires whatever still waits (the user moved on with a new message or cancelled). */
    public static void expireAll(Sql sql, String sessionId) {
        sql.update(
                "UPDATE pending_approvals SET status = 'expired', decided_at = now() "
                        + "WHERE session_id = ? AND status = 'pending'",
                sessionId);
    }

    private static Approval map(DbRow r) {
        try {
            return new Approval(
                    Rows.text(r, "call_id"),
                    Rows.text(r, "tool_name"),
                    Json.read(Rows.text(r, "arguments")),
                    Rows.text(r, "reason"),
                    Rows.text(r, "status"),
                    Rows.utc(r, "created_at"),
                    Rows.text(r, "diff"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
