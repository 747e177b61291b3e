package dev.codelab.agent.api;

import dev.codelab.agent.store.SessionLease;
import dev.codelab.agent.store.Turns;
import dev.codelab.agent.turn.TurnEngine;
import dev.codelab.shared.db.Database;
import dev.codelab.shared.http.InternalAuthFilter;
import io.helidon.webserver.http.HttpRouting;
import java.time.Duration;
import java.util.Set;

/**
 * The agent runtime's HTTP services behind one internal-key filter for the whole server (every path but
 * {@code /health}, Helidon's observe endpoints included), and what the process keeps for its running
 * turns: their cancel switches, their session leases with the heartbeat, and the watch for cancels posted to
 * other replicas. {@link #close()} stops both background loops and gives every held lease up.
 */
public final class AgentRoutes implements AutoCloseable {

    private final String internalKey;
    private final Database database;
    private final TurnEngine engine;
    private final Duration keepAlive;
    private final RunningTurns running = new RunningTurns();
    private final SessionLeases leases;
    private final CancelWatch cancelWatch;

    public AgentRoutes(
            String internalKey,
            Database database,
            TurnEngine engine,
            Duration keepAlive,
            Duration cancelPoll,
            Duration turnLease) {
        this.internalKey = internalKey;
        this.database = database;
        this.engine = engine;
        this.keepAlive = keepAlive;
        this.leases = new SessionLeases(database, turnLease, (SessionLease lost) -> running.cancel(lost.sessionId()));
        this.cancelWatch =
                new CancelWatch(sessions -> Turns.cancelRequested(database.sql(), sessions), running, cancelPoll);
    }

    public void register(HttpRouting.Builder routing) {
        routing.addFilter(new InternalAuthFilter(internalKey, Set.of("/health")));
        routing.register("/agent", new StreamService(database, engine, keepAlive, running, leases))
                .register("/sessions", new SessionService(database))
                .register("/agents", new AgentsService(database));
    }

    @Override
    public void close() {
        cancelWatch.close();
        leases.close();
    }
}
