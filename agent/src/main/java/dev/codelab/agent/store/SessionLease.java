package dev.codelab.agent.store;

import dev.codelab.shared.db.Database;
import dev.codelab.shared.db.Sql;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A request's hold on a session ({@link Leases}). Every write of the turn goes through {@link #write}: one
 * transaction whose first statement renews this lease, so a request that lost the session can write nothing.
 */
public final class SessionLease {

    private final Database database;
    private final String sessionId;
    private final String owner;
    private final Duration duration;

    SessionLease(Database database, String sessionId, String owner, Duration duration) {
        this.database = database;
        this.sessionId = sessionId;
        this.owner = owner;
        this.duration = duration;
    }

    public String sessionId() {
        return sessionId;
    }

    String owner() {
        return owner;
    }

    Duration duration() {
        return duration;
    }

    /** Runs {@code work} in one transaction under this lease; {@link LeaseLostException} if it is no longer held. */
    public void write(Consumer<Sql> work) {
        writeAndGet(tx -> {
            work.accept(tx);
            return null;
        });
    }

    /** As {@link #write}, returning what {@code work} returns. */
    public <T> T writeAndGet(Function<Sql, T> work) {
        return database.transaction(tx -> {
            if (!Leases.renew(tx, this)) {
                throw new LeaseLostException(sessionId);
            }
            return work.apply(tx);
        });
    }
}
