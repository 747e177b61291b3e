package dev.codelab.gateway.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.codelab.gateway.agent.AgentClient;
import dev.codelab.gateway.auth.Authenticator;
import dev.codelab.shared.http.Json;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import redis.clients.jedis.JedisPooled;

/**
 * {@code GET /api/v1/health}: healthy when the agent runtime, Redis and the JWKS are fine; degraded when Redis
 * is down or the keys are stale (still 200: tokens verify with the cached keys and limits fail open); degraded
 * with 503 when the agent runtime is down, because then nothing works.
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
        boolean redisUp = redisReachable();
        boolean keysFresh = !authenticator.jwksStale();
        Map<String, Object> services = new LinkedHashMap<>();
        services.put("agent_runtime", agentUp ? "healthy" : "unavailable");
        services.put("redis", redisUp ? "connected" : "unavailable");
        services.put("auth_jwks", keysFresh ? "ok" : "stale");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", agentUp && redisUp && keysFresh ? "healthy" : "degraded");
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
