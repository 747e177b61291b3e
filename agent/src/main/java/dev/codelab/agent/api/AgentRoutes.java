package dev.codelab.agent.api;

import java.time.Duration;

import javax.sql.DataSource;

import dev.codelab.agent.turn.TurnEngine;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;

/**
 * Registers the agent runtime's HTTP services, each guarded by the internal key.
 */
public final class AgentRoutes {

    private AgentRoutes() {
    }

    public static void register(HttpRouting.Builder routing, String internalKey, DataSource dataSource,
                                TurnEngine engine, Duration keepAlive, Duration cancelPoll) {
        routing.register("/agent", new StreamService(internalKey, dataSource, engine, keepAlive, cancelPoll))
                .register("/sessions", new SessionService(internalKey, dataSource))
                .register("/agents", new AgentsService(internalKey, dataSource));
    }

    /** {@code handler} behind the internal key (for single routes such as {@code /ready}). */
    public static Handler guarded(String internalKey, Handler handler) {
        return Caller.guarded(internalKey, handler);
    }
}
