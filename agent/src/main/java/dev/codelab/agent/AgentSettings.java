package dev.codelab.agent;

import dev.codelab.shared.config.Secrets;
import dev.codelab.shared.config.ServiceConfig;
import io.helidon.config.Config;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@code agent-runtime.*} settings the runtime reads once at start (docs/agent.md lists them all).
 */
public record AgentSettings(
        String dbUrl,
        int dbPoolSize,
        String llmProxyUrl,
        String internalApiKey,
        Optional<String> llmModel,
        Duration llmConnectTimeout,
        Duration llmTimeout,
        int llmMaxRetries,
        long llmRetryBaseMs,
        long llmRetryMaxMs,
        int maxSteps,
        int maxSwitches,
        int loopGuardRepeats,
        OptionalInt contextWindowCap,
        double condenseThreshold,
        Optional<String> condenseModel,
        Duration modelInfoRefresh,
        int maxToolResultBytes,
        Duration keepAlive,
        Duration cancelPoll,
        Duration turnLease) {

    public static AgentSettings from(Config root) {
        Config c = root.get("agent-runtime");
        return new AgentSettings(
                c.get("db-url").asString().get(),
                c.get("db-pool-size").asInt().orElse(20),
                ServiceConfig.stripSlash(c.get("llm-proxy-url").asString().orElse("http://localhost:8002")),
                Secrets.require(
                        root,
                        "agent-runtime.internal-api-key",
                        "AGENT_RUNTIME__INTERNAL_API_KEY",
                        List.of("change-me-internal-key")),
                c.get("llm-model").asString().asOptional().filter(s -> !s.isBlank()),
                Duration.ofSeconds(c.get("llm-connect-timeout-seconds").asLong().orElse(10L)),
                Duration.ofSeconds(c.get("llm-timeout-seconds").asLong().orElse(360L)),
                c.get("llm-max-retries").asInt().orElse(3),
                c.get("llm-retry-base-ms").asLong().orElse(500L),
                c.get("llm-retry-max-ms").asLong().orElse(8000L),
                c.get("max-steps").asInt().orElse(25),
                c.get("max-switches").asInt().orElse(50),
                c.get("loop-guard-repeats").asInt().orElse(3),
                windowCap(c.get("context-window-tokens").asString().orElse("")),
                condenseThreshold(c.get("condense-threshold").asDouble().orElse(0.75)),
                c.get("condense-model").asString().asOptional().filter(s -> !s.isBlank()),
                Duration.ofSeconds(c.get("model-info-refresh-seconds").asLong().orElse(300L)),
                c.get("max-tool-result-bytes").asInt().orElse(32768),
                Duration.ofMillis((long) (c.get("keep-alive-seconds").asDouble().orElse(15.0) * 1000)),
                Duration.ofMillis(c.get("cancel-poll-ms").asLong().orElse(500L)),
                Duration.ofSeconds(c.get("turn-lease-seconds").asLong().orElse(6L)));
    }

    /** {@code context-window-tokens}: unset or blank (compose passes an empty variable) is no cap. */
    private static OptionalInt windowCap(String value) {
        if (value.isBlank()) {
            return OptionalInt.empty();
        }
        try {
            int cap = Integer.parseInt(value.strip());
            if (cap > 0) {
                return OptionalInt.of(cap);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException(
                "agent-runtime.context-window-tokens must be a positive number of tokens, not " + value);
    }

    private static double condenseThreshold(double share) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalStateException(
                    "agent-runtime.condense-threshold must be a share of the window in (0, 1], not " + share);
        }
        return share;
    }
}
