package dev.codelab.gateway.ws;

import dev.codelab.shared.ratelimit.RateLimiter;
import java.time.Duration;

/**
 * What every {@link GatewaySocket} shares: the registry, Redis-backed limits and records, the agent pipe and
 * the socket settings.
 */
record SocketContext(
        SocketRegistry registry,
        ConnectionLimits limits,
        RateLimiter frameLimiter,
        AwaitedCalls awaited,
        SocketEvents events,
        AgentStreamPipe pipe,
        int maxFramesPerMinute,
        int maxMessageBytes,
        int maxQueuedFrames,
        Duration idleTimeout) {}
