package dev.codelab.agent.store;

import dev.codelab.shared.db.Rows;
import dev.codelab.shared.db.Sql;
import java.util.Optional;

/**
 * The {@code file_edits} table: which IDE call an {@code edit_file} call of the model waits for. The runtime asks
 * the IDE to {@code read_file} (call id {@code <call_id>.read}), then to {@code write_file} the edited text (call id
 * {@code <call_id>.write}); the model's call is answered once, when the write is done or the edit failed.
 */
public final class FileEdits {

    /** The longest model call id that still leaves room for the suffixes within the 255 characters of a call id. */
    public static final int MAX_CALL_ID_LENGTH = 255 - ".write".length();

    private FileEdits() {}

    public enum Stage {
        READING(".read"),
        WRITING(".write");

        private final String suffix;

        Stage(String suffix) {
            this.suffix = suffix;
        }

        /** The id of this stage's IDE call for the model's call {@code callId}. */
        public String ideCallId(String callId) {
            return callId + suffix;
        }
    }

    public static void start(Sql sql, String sessionId, String callId) {
        sql.update("INSERT INTO file_edits (session_id, call_id, stage) VALUES (?, ?, 'reading')", sessionId, callId);
    }

    public static void writing(Sql sql, String sessionId, String callId) {
        sql.update("UPDATE file_edits SET stage = 'writing' WHERE session_id = ? AND call_id = ?", sessionId, callId);
    }

    public static Optional<Stage> stage(Sql sql, String sessionId, String callId) {
        return sql.one(
                "SELECT stage FROM file_edits WHERE session_id = ? AND call_id = ?",
                r -> Stage.valueOf(Rows.text(r, "stage").toUpperCase(java.util.Locale.ROOT)),
                sessionId,
                callId);
    }

    /** Forgets the session's edits in progress (the model's call was answered). */
    public static void clear(Sql sql, String sessionId) {
        sql.update("DELETE FROM file_edits WHERE session_id = ?", sessionId);
    }
}
