package dev.codelab.gateway;

import dev.codelab.gateway.agent.AgentClient;
import dev.codelab.gateway.auth.Authenticator;
import dev.codelab.gateway.rest.ApiService;
import dev.codelab.gateway.rest.HealthChecks;
import dev.codelab.gateway.rest.RestGuard;
import dev.codelab.gateway.ws.SessionOwners;
import dev.codelab.gateway.ws.WebSocketGateway;
import dev.codelab.shared.http.ClientIp;
import dev.codelab.shared.ratelimit.RateLimiter;
import dev.codelab.shared.ratelimit.Redis;
import dev.codelab.shared.server.CodeLabService;
import dev.codelab.shared.server.Health;
import io.helidon.config.Config;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsRouting;
import redis.clients.jedis.JedisPooled;

/**
 * The gateway: the public REST API under {@code /api/v1}, the IDE WebSocket {@code /api/v1/ws/{session_id}}
 * and the liveness route {@code /health}. Validates access tokens locally, enforces ownership and limits, and
 * talks to the agent runtime over HTTP.
 */
public final class GatewayApp implements CodeLabService {

    private final Config config;
    private final JedisPooled redis;
    private final AgentClient agent;
    private final ApiService api;
    private final WebSocketGateway websocket;

    private GatewayApp(Config config) {
        this.config = config;
        GatewaySettings settings = GatewaySettings.from(config);
        this.redis = Redis.connect(settings.redisUrl());
        Authenticator authenticator = new Authenticator(
                settings.authServiceUrl(), settings.jwtIssuer(), settings.jwtAudience(), settings.jwtLeeway());
        this.agent = new AgentClient(
                settings.agentUrl(),
                settings.internalApiKey(),
                settings.agentRequestTimeout(),
                settings.agentStreamIdle());
        SessionOwners owners = new SessionOwners(redis);
        this.websocket = new WebSocketGateway(settings, authenticator, agent, redis, owners);
        RestGuard guard = new RestGuard(
                authenticator,
                new RateLimiter(redis, settings.redisFailOpen()),
                ClientIp.create(settings.trustedProxies()),
                settings.restRequestsPerMinute());
        this.api = new ApiService(
                guard,
                new HealthChecks(settings.version(), agent, redis, authenticator).handler(),
                agent,
                owners,
                websocket.registry());
    }

    public static GatewayApp create(Config config) {
        return new GatewayApp(config);
    }

    @Override
    public String name() {
        return "gateway";
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.addFilter(websocket.upgradeFilter())
                .get("/health", Health.liveness("gateway", config, "gateway"))
                .register("/api/v1", api);
    }

    @Override
    public void websockets(WsRouting.Builder ws) {
        websocket.endpoints(ws);
    }

    @Override
    public boolean hasWebsockets() {
        return true;
    }

    /**
     * Drains the WebSockets gracefully (see {@link WebSocketGateway#close()}), then releases the agent
     * connections and Redis.
     */
    @Override
    public void close() {
        websocket.close();
        agent.close();
        redis.close();
    }
}
