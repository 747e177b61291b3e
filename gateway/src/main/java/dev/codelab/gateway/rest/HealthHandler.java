package dev.codelab.gateway.rest;

import dev.codelab.gateway.agent.AgentClient;
import dev.codelab.gateway.auth.Authenticator;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.http.RequestLog;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import redis.clients.jedis.JedisPooled;

/**
 * {@code GET /api/v1/health}: the seed's fields first ({@code agent_runtime}, and {@code database} as the agent
 * runtime reports its own), then Redis and the JWKS. Healthy when all are fine; degraded when the agent's
 * database or Redis is down or the keys are stale (still 200: this gateway itself can serve, tokens verify with
 * the cached keys and limits fail open); degraded with 503 when the agent runtime is down, because then nothing
 * works.
 */
public final class HealthHandler implements Handler {

    private final String version;
    private final AgentClient agent;
    private final JedisPooled redis;
    private final Authenticator authenticator;

    public HealthHandler(String version, AgentClient agent, JedisPooled redis, Authenticator authenticator) {
        this.version = version;
        this.agent = agent;
        this.redis = redis;
        this.authenticator = authenticator;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        boolean agentUp = agent.isHealthy();
        boolean databaseUp = agentUp && agent.databaseUp(RequestLog.idOf(req));
        boolean redisUp = redisReachable();
        boolean keysFresh = !authenticator.jwksStale();
        Map<String, Object> services = new LinkedHashMap<>();
        services.put("agent_runtime", agentUp ? "healthy" : "unavailable");
        services.put("database", databaseUp ? "connected" : "unavailable");
        services.put("redis", redisUp ? "connected" : "unavailable");
        services.put("auth_jwks", keysFresh ? "ok" : "stale");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", agentUp && databaseUp && redisUp && keysFresh ? "healthy" : "degraded");
        body.put("version", version);
        body.put("services", services);
        Json.send(res, agentUp ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503, body);
    }

    private boolean redisReachable() {
        try {
            return "PONG".equals(redis.ping());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
