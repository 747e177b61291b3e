package dev.codelab.agent.store;

import dev.codelab.shared.db.Database;
import dev.codelab.shared.db.Rows;
import dev.codelab.shared.db.Sql;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The per-session turn lease kept in {@code sessions.turn_owner} and {@code turn_lease_until}: whoever holds it runs
 * the session's turn, on any replica, and holds no connection meanwhile. It is taken with one conditional
 * {@code UPDATE}, renewed by every write of the turn and by the replica's heartbeat, released when the request
 * ends, and may be taken over once it expired (docs/agent.md, "The session lease"). Times are the database's.
 */
public final class Leases {

    private Leases() {}

    /**
     * Takes the session's lease if nobody holds it or its holder let it expire. Taking it also forgets a cancel
     * request left on the open turn after the request it was meant for had ended (in the same statement).
     */
    public static Optional<SessionLease> take(Database database, String sessionId, Duration duration) {
        String owner = UUID.randomUUID().toString();
        long taken = database.sql()
                .one(
                        "WITH taken AS (UPDATE sessions SET turn_owner = ?, "
                                + "turn_lease_until = now() + ? * interval '1 millisecond' "
                                + "WHERE id = ? AND (turn_owner IS NULL OR turn_lease_until < now()) RETURNING id), "
                                + "cleared AS (UPDATE turns SET cancel_requested = false "
                                + "WHERE session_id IN (SELECT id FROM taken) "
                                + "AND ended_at IS NULL AND cancel_requested) "
                                + "SELECT count(*) AS taken FROM taken",
                        r -> Rows.longValue(r, "taken"),
                        owner,
                        duration.toMillis(),
                        sessionId)
                .orElse(0L);
        return taken == 1 ? Optional.of(new SessionLease(database, sessionId, owner, duration)) : Optional.empty();
    }

    /** Extends this lease; false when it is no longer held (another request took over after it expired). */
    static boolean renew(Sql sql, SessionLease lease) {
        return sql.update(
                        "UPDATE sessions SET turn_lease_until = now() + ? * interval '1 millisecond' "
                                + "WHERE id = ? AND turn_owner = ?",
                        lease.duration().toMillis(),
                        lease.sessionId(),
                        lease.owner())
                == 1;
    }

    /** Extends all these leases in one statement; returns those no longer held. */
    public static List<SessionLease> renew(Sql sql, Collection<SessionLease> leases, Duration duration) {
        Set<String> renewed = Set.copyOf(sql.list(
                "UPDATE sessions SET turn_lease_until = now() "
                        + "+ ? * interval '1 millisecond' WHERE turn_owner = ANY(?) RETURNING turn_owner",
                r -> Rows.text(r, "turn_owner"),
                duration.toMillis(),
                owners(leases)));
        return leases.stream().filter(lease -> !renewed.contains(lease.owner())).toList();
    }

    /** Gives up these leases (the requests ended, or the replica is shutting down). */
    public static void release(Sql sql, Collection<SessionLease> leases) {
        sql.update(
                "UPDATE sessions SET turn_owner = NULL, turn_lease_until = NULL WHERE turn_owner = ANY(?)",
                owners(leases));
    }

    private static Object owners(Collection<SessionLease> leases) {
        return leases.stream().map(SessionLease::owner).toArray(String[]::new);
    }
}
