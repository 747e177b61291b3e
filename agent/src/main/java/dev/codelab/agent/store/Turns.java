package dev.codelab.agent.store;

import java.sql.Connection;
import java.util.Optional;

/**
 * The {@code turns} table: one row per user turn, open ({@code ended_at} null) while it runs or waits for the
 * IDE, with its step count and token usage.
 */
public final class Turns {

    private Turns() {
    }

    public record Turn(long id, String state, int steps) {
    }

    public static Optional<Turn> open(Connection c, String sessionId) {
        return Sql.one(c, "SELECT id, state, steps FROM turns WHERE session_id = ? AND ended_at IS NULL "
                + "ORDER BY id DESC LIMIT 1", r -> new Turn(r.getLong(1), r.getString(2), r.getInt(3)), sessionId);
    }

    public static Turn start(Connection c, String sessionId) {
        return Sql.one(c, "INSERT INTO turns (session_id, state) VALUES (?, 'running') RETURNING id",
                r -> new Turn(r.getLong(1), "running", 0), sessionId).orElseThrow();
    }

    public static void countStep(Connection c, long turnId, int tokensIn, int tokensOut) {
        Sql.update(c, "UPDATE turns SET steps = steps + 1, tokens_in = tokens_in + ?, tokens_out = tokens_out + ? "
                + "WHERE id = ?", tokensIn, tokensOut, turnId);
    }

    /** Sets the state; states that end the turn also stamp {@code ended_at}. */
    public static void setState(Connection c, long turnId, String state, boolean ended) {
        Sql.update(c, "UPDATE turns SET state = ?, ended_at = CASE WHEN ? THEN now() ELSE ended_at END WHERE id = ?",
                state, ended, turnId);
    }

    /** Asks whichever replica runs the session's open turn to cancel it. */
    public static void requestCancel(Connection c, String sessionId) {
        Sql.update(c, "UPDATE turns SET cancel_requested = true WHERE session_id = ? AND ended_at IS NULL", sessionId);
    }

    /** Forgets a cancel request that arrived after the previous request of the turn had already ended. */
    public static void clearCancelRequest(Connection c, String sessionId) {
        Sql.update(c, "UPDATE turns SET cancel_requested = false WHERE session_id = ? AND ended_at IS NULL "
                + "AND cancel_requested", sessionId);
    }

    public static boolean cancelRequested(Connection c, String sessionId) {
        return Sql.one(c, "SELECT 1 FROM turns WHERE session_id = ? AND ended_at IS NULL AND cancel_requested",
                r -> true, sessionId).isPresent();
    }

    /** Ends every open turn of the session (a new user message supersedes a paused one). */
    public static void endOpen(Connection c, String sessionId, String state) {
        Sql.update(c, "UPDATE turns SET state = ?, ended_at = now() WHERE session_id = ? AND ended_at IS NULL",
                state, sessionId);
    }
}
