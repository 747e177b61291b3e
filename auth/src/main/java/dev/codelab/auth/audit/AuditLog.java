package dev.codelab.auth.audit;

import dev.codelab.shared.db.Database;
import dev.codelab.shared.db.Sql;
import dev.codelab.shared.http.Json;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Writes {@code audit_logs} rows, inside the caller's transaction when it has one so the row commits with the
 * change it describes. Security incidents are also logged (event and ids only, never a credential).
 */
public final class AuditLog {

    private static final System.Logger LOG = System.getLogger(AuditLog.class.getName());
    private static final int MAX_USER_AGENT = 512;
    private static final int MAX_IP = 45;

    private final Database database;
    private final Clock clock;

    public AuditLog(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /** An audit row. {@code data} becomes {@code event_data} (jsonb); {@code error} the {@code error_message}. */
    public record Entry(
            AuditEvent event,
            boolean success,
            UUID userId,
            String clientId,
            RequestOrigin origin,
            Map<String, Object> data,
            String error) {

        public static Entry success(
                AuditEvent event, UUID userId, String clientId, RequestOrigin origin, Map<String, Object> data) {
            return new Entry(event, true, userId, clientId, origin, data, null);
        }

        public static Entry failure(
                AuditEvent event,
                UUID userId,
                String clientId,
                RequestOrigin origin,
                Map<String, Object> data,
                String error) {
            return new Entry(event, false, userId, clientId, origin, data, error);
        }
    }

    public void record(Entry entry) {
        record(database.sql(), entry);
    }

    public void record(Sql tx, Entry entry) {
        Instant now = clock.instant();
        tx.update(
                """
                INSERT INTO audit_logs (id, user_id, client_id, event_type, event_data, ip_address, user_agent,
                                        success, error_message, created_at)
                VALUES (?::uuid, ?::uuid, ?, ?, ?::jsonb, ?, ?, ?, ?, ?)
                """,
                UUID.randomUUID(),
                entry.userId(),
                entry.clientId(),
                entry.event().code(),
                entry.data() == null || entry.data().isEmpty() ? null : Json.write(entry.data()),
                truncate(entry.origin().ip(), MAX_IP),
                truncate(entry.origin().userAgent(), MAX_USER_AGENT),
                entry.success(),
                entry.error(),
                now);
        if (entry.event() == AuditEvent.REFRESH_REUSE_DETECTED || entry.event() == AuditEvent.LOCKOUT) {
            LOG.log(
                    Level.WARNING,
                    "Security event " + entry.event().code() + " client=" + entry.clientId() + " user=" + entry.userId()
                            + " ip=" + entry.origin().ip());
        }
    }

    /** Deletes rows older than {@code before}; returns how many. */
    public int purgeBefore(Instant before) {
        return Math.toIntExact(database.sql().update("DELETE FROM audit_logs WHERE created_at < ?", before));
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
