package dev.codelab.agent.store;

import dev.codelab.shared.db.Rows;
import dev.codelab.shared.db.Sql;
import io.helidon.dbclient.DbRow;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code turns} table: one row per user turn, open ({@code ended_at} null) while it runs or waits for the
 * IDE, with its step count and token usage.
 */
public final class Turns {

    private Turns() {}

    public record Turn(long id, TurnState state, int steps) {}

    public static Optional<Turn> open(Sql sql, String sessionId) {
        return sql.one(
                "SELECT id, state, steps FROM turns WHERE session_id = ? AND ended_at IS NULL "
                        + "ORDER BY id DESC LIMIT 1",
                Turns::map,
                sessionId);
    }

    public static Turn start(Sql sql, String sessionId) {
        return sql.one(
                        "INSERT INTO turns (session_id, state) VALUES (?, 'running') RETURNING id, state, steps",
                        Turns::map,
                        sessionId)
                .orElseThrow();
    }

    public static void countStep(Sql sql, long turnId, int tokensIn, int tokensOut) {
        sql.update(
                "UPDATE turns SET steps = steps + 1, tokens_in = tokens_in + ?, tokens_out = tokens_out + ? "
                        + "WHERE id = ?",
                tokensIn,
                tokensOut,
                turnId);
    }

    /** Sets the state; states that end the turn also stamp {@code ended_at}. */
    public static void setState(Sql sql, long turnId, TurnState state) {
        sql.update(
                "UPDATE turns SET state = ?, ended_at = CASE WHEN ? THEN now() ELSE ended_at END WHERE id = ?",
                state.wire(),
                state.ended(),
                turnId);
    }

    /** Marks the turn as ended by a failure of the model, which a {@code continue} may resume. */
    public static void markResumable(Sql sql, long turnId) {
        sql.update("UPDATE turns SET resumable = true WHERE id = ?", turnId);
    }

    /** Whether the session's newest turn ended resumable (nothing has started since). */
    public static boolean latestIsResumable(Sql sql, String sessionId) {
        return sql.one(
                        "SELECT resumable AND ended_at IS NOT NULL AS resumable FROM turns WHERE session_id = ? "
                                + "ORDER BY id DESC LIMIT 1",
                        r -> Rows.bool(r, "resumable"),
                        sessionId)
                .orElse(false);
    }

    /** Asks whichever replica runs the session's open turn to cancel it. */
    public static void requestCancel(Sql sql, String sessionId) {
        sql.update("UPDATE turns SET cancel_requested = true WHERE session_id = ? AND ended_at IS NULL", sessionId);
    }

    /** Which of these sessions have an open turn that another replica was asked to cancel. */
    public static Set<String> cancelRequested(Sql sql, Collection<String> sessionIds) {
        return Set.copyOf(sql.list(
                "SELECT DISTINCT session_id FROM turns WHERE session_id = ANY(?) "
                        + "AND ended_at IS NULL AND cancel_requested",
                r -> Rows.text(r, "session_id"),
                (Object) sessionIds.toArray(String[]::new)));
    }

    /** Ends every open turn of the session (a new user message supersedes a paused one). */
    public static void endOpen(Sql sql, String sessionId, TurnState state) {
        sql.update(
                "UPDATE turns SET state = ?, ended_at = now() WHERE session_id = ? AND ended_at IS NULL",
                state.wire(),
                sessionId);
    }

    private static Turn map(DbRow r) {
        return new Turn(
                Rows.longValue(r, "id"),
                TurnState.valueOf(Rows.text(r, "state").toUpperCase(Locale.ROOT)),
                Rows.intValue(r, "steps"));
    }
}
