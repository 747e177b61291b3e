package dev.codelab.gateway.rest;

import dev.codelab.gateway.agent.AgentClient;
import dev.codelab.gateway.auth.Authenticator;
import dev.codelab.shared.http.RequestLog;
import dev.codelab.shared.server.Readiness;
import dev.codelab.shared.server.Readiness.Impact;
import io.helidon.webserver.http.ServerRequest;
import redis.clients.jedis.JedisPooled;

/**
 * The checks of {@code GET /api/v1/health} ({@link Readiness}): the seed's fields first ({@code agent_runtime},
 * and {@code database} as the agent runtime reports its own), then Redis and the JWKS. Healthy when all are fine;
 * degraded when the agent's database or Redis is down or the keys are stale (still 200: this gateway itself can
 * serve, tokens verify with the cached keys and limits fail open); degraded with 503 when the agent runtime is
 * down, because then nothing works.
 */
public final class HealthChecks implements Readiness.Probe {

    private final String version;
    private final AgentClient agent;
    private final JedisPooled redis;
    private final Authenticator authenticator;

    public HealthChecks(String version, AgentClient agent, JedisPooled redis, Authenticator authenticator) {
        this.version = version;
        this.agent = agent;
        this.redis = redis;
        this.authenticator = authenticator;
    }

    /** The {@code /api/v1/health} handler with these checks, in the seed's words. */
    public Readiness handler() {
        return new Readiness("healthy", "degraded", "services", this);
    }

    @Override
    public Readiness.Report run(ServerRequest req) {
        boolean agentUp = agent.isHealthy();
        boolean databaseUp = agentUp && agent.databaseUp(RequestLog.idOf(req));
        return new Readiness.Report()
                .field("version", version)
                .check("agent_runtime", agentUp, "healthy", "unavailable", Impact.FAILS)
                .check("database", databaseUp, "connected", "unavailable", Impact.DEGRADES)
                .check("redis", redisReachable(), "connected", "unavailable", Impact.DEGRADES)
                .check("auth_jwks", !authenticator.jwksStale(), "ok", "stale", Impact.DEGRADES);
    }

    private boolean redisReachable() {
        try {
            return "PONG".equals(redis.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
