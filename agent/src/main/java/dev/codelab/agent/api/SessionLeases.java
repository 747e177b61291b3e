package dev.codelab.agent.api;

import dev.codelab.agent.store.Leases;
import dev.codelab.agent.store.SessionLease;
import dev.codelab.shared.db.Database;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The session leases this process holds, and their heartbeat: every third of the lease time one statement
 * renews them all, so a turn that waits minutes for its tokens keeps its session without holding a connection.
 * A lease the heartbeat finds taken over (it expired, say through a long database outage, and another request took
 * the session) is dropped and its turn told to stop. A lease whose release failed (the database was away, or the
 * request's thread was interrupted by a shutting-down server) is given up by the next heartbeat instead of being
 * renewed. Closing gives every lease up at once, so a replica that shuts down frees its sessions for the others.
 */
final class SessionLeases implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SessionLeases.class.getName());
    private static final long RETRY_MILLIS = 20;
    private static final long MAX_RETRY_MILLIS = 250;

    private final Database database;
    private final Duration duration;
    private final Consumer<SessionLease> lost;
    private final Set<SessionLease> held = ConcurrentHashMap.newKeySet();
    private final Set<SessionLease> unreleased = ConcurrentHashMap.newKeySet();
    private final Periodic heartbeat;

    SessionLeases(Database database, Duration duration, Consumer<SessionLease> lost) {
        this.database = database;
        this.duration = duration;
        this.lost = lost;
        this.heartbeat = new Periodic(
                "lease-heartbeat", duration.dividedBy(3), this::beat, LOG, "Cannot renew the session leases");
    }

    /**
     * How long a request waits for a session's lease before it answers 409: a little longer than the lease. A
     * turn's request gives its lease up only after its stream has ended, so a client that answers the {@code done}
     * at once (a tool result, the next message) can arrive a moment before; and when the holder's replica died,
     * its lease runs out within the lease time, so the next message still runs (on this replica) instead of
     * being refused.
     */
    Duration longestWait() {
        return duration.plusMillis(500);
    }

    /** Tries for up to {@code wait}, first every 20 ms, then less often (the holder may be gone for seconds). */
    Optional<SessionLease> take(String sessionId, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        long pause = RETRY_MILLIS;
        while (true) {
            Optional<SessionLease> lease = Leases.take(database, sessionId, duration);
            if (lease.isPresent()) {
                held.add(lease.get());
                return lease;
            }
            if (System.nanoTime() >= deadline) {
                return Optional.empty();
            }
            try {
                Thread.sleep(pause);
                pause = Math.min(MAX_RETRY_MILLIS, pause * 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /** Whether a request of this process holds the session's lease (it may be just finishing). */
    boolean holdsHere(String sessionId) {
        return held.stream().anyMatch(lease -> lease.sessionId().equals(sessionId))
                || unreleased.stream().anyMatch(lease -> lease.sessionId().equals(sessionId));
    }

    /** Gives the lease up; if that fails, the next heartbeat tries again (and at worst it expires). */
    void release(SessionLease lease) {
        try {
            Leases.release(database.sql(), List.of(lease));
        } catch (RuntimeException e) {
            unreleased.add(lease);
            LOG.log(
                    System.Logger.Level.WARNING,
                    "Cannot release the lease on session " + lease.sessionId() + " now; the heartbeat tries again: "
                            + e);
        } finally {
            held.remove(lease);
        }
    }

    private void beat() {
        List<SessionLease> failed = List.copyOf(unreleased);
        if (!failed.isEmpty()) {
            Leases.release(database.sql(), failed);
            unreleased.removeAll(failed);
        }
        renew();
    }

    private void renew() {
        List<SessionLease> leases = List.copyOf(held);
        if (leases.isEmpty()) {
            return;
        }
        for (SessionLease gone : Leases.renew(database.sql(), leases, duration)) {
            if (held.remove(gone)) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "The lease on session " + gone.sessionId() + " was taken over; stopping its turn");
                lost.accept(gone);
            }
        }
    }

    @Override
    public void close() {
        heartbeat.close();
        List<SessionLease> leases = new ArrayList<>(held);
        leases.addAll(unreleased);
        held.clear();
        unreleased.clear();
        if (!leases.isEmpty()) {
            try {
                Leases.release(database.sql(), leases);
            } catch (RuntimeException e) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "Cannot release " + leases.size() + " session leases at shutdown;" + " they expire within "
                                + duration.toSeconds() + " s: " + e);
            }
        }
    }
}
