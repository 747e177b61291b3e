package dev.codelab.gateway.ws;

import dev.codelab.gateway.GatewaySettings;
import dev.codelab.gateway.agent.AgentClient;
import dev.codelab.gateway.auth.Authenticator;
import dev.codelab.shared.ratelimit.RateLimiter;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.websocket.WsRouting;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import redis.clients.jedis.JedisPooled;

/**
 * The IDE WebSocket endpoint as a whole: the upgrade filter, the socket listeners, the keep-alive loop and the
 * graceful shutdown.
 */
public final class WebSocketGateway implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WebSocketGateway.class.getName());
    private static final Duration CLOSE_HANDSHAKE_WAIT = Duration.ofSeconds(2);

    private final Outbox outbox;
    private final SocketRegistry registry;
    private final ReplicaHeartbeat heartbeat;
    private final SocketContext context;
    private final UpgradeHandoff handoff = new UpgradeHandoff();
    private final UpgradeFilter filter;
    private final KeepAlivePass keepAlivePass;
    private final Duration pingInterval;
    private final Duration shutdownGrace;
    private final AtomicBoolean shuttingDown = new AtomicBoolean();
    private final Thread keepAlive;

    public WebSocketGateway(
            GatewaySettings settings,
            Authenticator authenticator,
            AgentClient agent,
            JedisPooled redis,
            SessionOwners owners) {
        String replicaId =
                HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        this.outbox = new Outbox(redis, replicaId, settings.outboxMaxFrames(), settings.outboxTtl());
        TurnClaims claims = new TurnClaims(outbox, redis, replicaId);
        SocketEvents events = new SocketEvents(redis, replicaId);
        this.registry = new SocketRegistry(outbox, claims, events, settings.redisUrl(), replicaId);
        this.heartbeat = new ReplicaHeartbeat(redis, replicaId, registry, claims);
        ConnectionLimits limits = new ConnectionLimits(
                redis, settings.wsMaxConnectionsPerUser(), settings.wsIdleTimeout(), settings.redisFailOpen());
        AwaitedCalls awaited = new AwaitedCalls(redis);
        this.context = new SocketContext(
                registry,
                limits,
                new RateLimiter(redis, settings.redisFailOpen()),
                awaited,
                events,
                new AgentStreamPipe(agent, awaited, settings.agentStreamIdle()),
                settings.wsMaxFramesPerMinute(),
                settings.wsMaxMessageBytes(),
                settings.wsMaxQueuedFrames(),
                settings.wsIdleTimeout());
        this.filter = new UpgradeFilter(
                authenticator,
                agent,
                owners,
                limits,
                settings.wsAuthRequired(),
                settings.wsDefaultProtocol(),
                settings.wsMaxConnectionsPerUser(),
                shuttingDown::get,
                handoff);
        this.keepAlivePass = new KeepAlivePass(limits, events);
        this.pingInterval = settings.wsPingInterval();
        this.shutdownGrace = settings.shutdownGrace();
        this.keepAlive = Thread.ofVirtual().name("ws-keep-alive").start(this::keepAliveLoop);
    }

    /** The filter that decides upgrades; scoped to the WebSocket path by itself. */
    public Filter upgradeFilter() {
        return filter;
    }

    public void endpoints(WsRouting.Builder ws) {
        ws.endpoint(
                UpgradeFilter.PATH_PREFIX + "{session_id}", () -> GatewaySocket.forUpgrade(context, handoff.take()));
    }

    public SocketRegistry registry() {
        return registry;
    }

    /**
     * Graceful shutdown: refuses new upgrades (503), lets running turns finish for up to the grace period, lets the
     * sockets receive their last frames, then closes every socket with 1001. Call before stopping the server.
     */
    @Override
    public void close() {
        if (!shuttingDown.compareAndSet(false, true)) {
            return;
        }
        try {
            waitUntil(() -> !registry.turnsRunning(), shutdownGrace);
            waitUntil(registry::socketsCaughtUp, CLOSE_HANDSHAKE_WAIT);
            registry.sockets().forEach(socket -> socket.close(GatewaySocket.GOING_AWAY, "Server shutting down"));
            // Give clients a moment to answer the close, so they see 1001 rather than a dropped connection.
            waitUntil(() -> registry.sockets().isEmpty(), CLOSE_HANDSHAKE_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        keepAlive.interrupt();
        heartbeat.close();
        registry.close();
        outbox.close();
    }

    private static void waitUntil(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private void keepAliveLoop() {
        try {
            while (!shuttingDown.get()) {
                Thread.sleep(pingInterval.toMillis());
                keepAlivePass.run(registry.sockets());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Keep-alive loop failed", e);
        }
    }
}
