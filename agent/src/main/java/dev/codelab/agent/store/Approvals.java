package dev.codelab.agent.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.agent.tools.ToolCall;
import dev.codelab.shared.db.Rows;
import dev.codelab.shared.db.Sql;
import dev.codelab.shared.http.Json;
import io.helidon.dbclient.DbRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
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
            Status status,
            OffsetDateTime createdAt,
            String diff) {

        /** The call asked about. */
        public ToolCall call() {
            return new ToolCall(callId, toolName, Json.write(arguments));
        }
    }

    /** {@code pending_approvals.status}. */
    public enum Status {
        PENDING,
        APPROVED,
        /** Approved with arguments the user changed. */
        EDITED,
        REJECTED,
        /** The user moved on (a new message, a cancel) before deciding. */
        EXPIRED;

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Stores {@code call} as waiting for the user's decision, asked for {@code reason}. */
    public static void insert(Sql sql, String sessionId, ToolCall call, String reason, String diff) {
        sql.update(
                "INSERT INTO pending_approvals (session_id, call_id, tool_name, arguments, reason, diff) "
                        + "VALUES (?, ?, ?, ?::jsonb, ?, ?)",
                sessionId,
                call.id(),
                call.name(),
                Json.write(call.arguments()),
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

    public static void approve(Sql sql, String sessionId, String callId) {
        decide(sql, sessionId, callId, Status.APPROVED, null, null);
    }

    /** Approves the call with the arguments the user changed it to. */
    public static void approveEdited(Sql sql, String sessionId, String callId, JsonNode modifiedArguments) {
        decide(sql, sessionId, callId, Status.EDITED, modifiedArguments, null);
    }

    /** Rejects the call; {@code feedback} is the user's reason, or the IDE's error for a call it did not run. */
    public static void reject(Sql sql, String sessionId, String callId, String feedback) {
        decide(sql, sessionId, callId, Status.REJECTED, null, feedback);
    }

    private static void decide(
            Sql sql, String sessionId, String callId, Status status, JsonNode modified, String feedback) {
        sql.update(
                "UPDATE pending_approvals SET status = ?, modified_arguments = ?::jsonb, feedback = ?, "
                        + "decided_at = now() WHERE session_id = ? AND call_id = ? AND status = 'pending'",
                status.wire(),
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
                    Status.valueOf(Rows.text(r, "status").toUpperCase(Locale.ROOT)),
                    Rows.utc(r, "created_at"),
                    Rows.text(r, "diff"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
