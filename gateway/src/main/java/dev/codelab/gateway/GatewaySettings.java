package dev.codelab.gateway;

import dev.codelab.shared.config.Secrets;
import dev.codelab.shared.config.ServiceConfig;
import io.helidon.config.Config;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Every setting of the gateway, read once from the {@code gateway} config node (env {@code GATEWAY__*}).
 */
public record GatewaySettings(
        String version,
        URI agentUrl,
        URI authServiceUrl,
        String redisUrl,
        String internalApiKey,
        String jwtIssuer,
        String jwtAudience,
        Duration jwtLeeway,
        String trustedProxies,
        boolean redisFailOpen,
        int restRequestsPerMinute,
        Duration agentRequestTimeout,
        Duration agentStreamIdle,
        boolean wsAuthRequired,
        int wsDefaultProtocol,
        int wsMaxConnectionsPerUser,
        int wsMaxFramesPerMinute,
        int wsMaxMessageBytes,
        int wsMaxQueuedFrames,
        Duration wsPingInterval,
        Duration wsIdleTimeout,
        int outboxMaxFrames,
        Duration outboxTtl,
        Duration shutdownGrace) {

    public static GatewaySettings from(Config root) {
        Config c = root.get("gateway");
        int protocol = c.get("ws-default-protocol").asInt().orElse(2);
        if (protocol != 1 && protocol != 2) {
            throw new IllegalArgumentException("GATEWAY__WS_DEFAULT_PROTOCOL must be 1 or 2, not " + protocol);
        }
        return new GatewaySettings(
                c.get("version").asString().orElse("0.1.0"),
                baseUri(c.get("agent-url").asString().orElse("http://localhost:8001")),
                baseUri(c.get("auth-service-url").asString().orElse("http://localhost:8003")),
                c.get("redis-url").asString().orElse("redis://localhost:6379"),
                Secrets.require(
                        root,
                        "gateway.internal-api-key",
                        "GATEWAY__INTERNAL_API_KEY",
                        List.of("change-me-internal-key")),
                c.get("jwt-issuer").asString().orElse("https://auth.codelab.local"),
                c.get("jwt-audience").asString().orElse("codelab-api"),
                seconds(c, "jwt-leeway-seconds", 30),
                c.get("trusted-proxies").asString().orElse(""),
                c.get("redis-fail-open").asBoolean().orElse(true),
                c.get("rate-limit-rest-per-min").asInt().orElse(100),
                seconds(c, "agent-request-timeout-seconds", 30),
                seconds(c, "agent-stream-idle-seconds", 120),
                c.get("ws-auth-required").asBoolean().orElse(true),
                protocol,
                c.get("ws-max-conn-per-user").asInt().orElse(10),
                c.get("ws-max-frames-per-min").asInt().orElse(100),
                c.get("ws-max-message-bytes").asInt().orElse(4 * 1024 * 1024),
                c.get("ws-max-queued-frames").asInt().orElse(4096),
                seconds(c, "ws-ping-interval-seconds", 30),
                seconds(c, "ws-idle-timeout-seconds", 90),
                Math.max(1000, c.get("ws-outbox-max-frames").asInt().orElse(1000)),
                seconds(c, "ws-outbox-ttl-seconds", 900),
                seconds(c, "shutdown-grace-seconds", 30));
    }

    private static Duration seconds(Config c, String key, int defaultSeconds) {
        return Duration.ofSeconds(c.get(key).asLong().orElse((long) defaultSeconds));
    }

    private static URI baseUri(String url) {
        return URI.create(ServiceConfig.stripSlash(url.strip()));
    }
}
