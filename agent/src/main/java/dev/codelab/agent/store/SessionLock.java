package dev.codelab.agent.store;

import java.sql.Connection;
import java.time.Duration;

/**
 * A PostgreSQL session-level advisory lock per conversation, held on the turn's own connection for the whole
 * request, so no two requests (on any replica) run a turn of the same session at once. The lock dies with the
 * connection if the process does.
 */
public final class SessionLock {

    /** First key of the two-key advisory lock, so these locks never collide with other users of advisory locks. */
    private static final int NAMESPACE = 0x41474e54;
    private static final long RETRY_MILLIS = 20;

    private SessionLock() {
    }

    public static boolean tryLock(Connection c, String sessionId) {
        return Sql.one(c, "SELECT pg_try_advisory_lock(?, hashtext(?))", r -> r.getBoolean(1), NAMESPACE, sessionId)
                .orElse(false);
    }

    /**
     * Tries for up to {@code wait}: a turn's request releases the lock only after its stream has ended, so a
     * client that answers the {@code done} at once (a tool result, the next message) can arrive a moment before.
     */
    public static boolean tryLock(Connection c, String sessionId, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!tryLock(c, sessionId)) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    public static void unlock(Connection c, String sessionId) {
        Sql.one(c, "SELECT pg_advisory_unlock(?, hashtext(?))", r -> r.getBoolean(1), NAMESPACE, sessionId);
    }
}
