package dev.codelab.llmproxy.registry;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * One place a model alias can be served from, with its key and base URL resolved from the environment.
 *
 * @param id              stable identity for health tracking: {@code provider:model@base_url}
 * @param provider        {@code openai}, {@code openrouter}, {@code anthropic}, {@code ollama} or {@code fake}
 * @param model           the provider's model name
 * @param baseUrl         where the provider listens
 * @param apiKey          the provider key, when the deployment uses one
 * @param timeout         time allowed until the first token
 * @param weight          share of traffic among the alias's deployments
 * @param missingVariable the environment variable this deployment needs but does not have; empty when usable
 * @param standsInFor     for the fake model standing in for a keyless alias: the variable that alias is missing
 * @param cacheBreakpoints how many prompt-cache breakpoints the provider places (Anthropic; 0 = none)
 */
public record Deployment(
        String id,
        String provider,
        String model,
        URI baseUrl,
        Optional<String> apiKey,
        Duration timeout,
        int weight,
        Optional<String> missingVariable,
        Optional<String> standsInFor,
        int cacheBreakpoints) {

    private static final Duration STAND_IN_TIMEOUT = Duration.ofSeconds(120);

    /** The fake model serving an alias whose provider needs {@code missingVariable} (the dev stack only). */
    public static Deployment standIn(String missingVariable) {
        return new Deployment(
                "fake:stand-in",
                "fake",
                "fake",
                URI.create("fake:local"),
                Optional.empty(),
                STAND_IN_TIMEOUT,
                1,
                Optional.empty(),
                Optional.of(missingVariable),
                0);
    }

    public boolean available() {
        return missingVariable.isEmpty();
    }

    /** This deployment of a pattern alias, serving the name whose variable part is {@code matched}. */
    Deployment forMatch(String matched) {
        String name = model.replace("*", matched);
        return new Deployment(
                provider + ":" + name + "@" + baseUrl,
                provider,
                name,
                baseUrl,
                apiKey,
                timeout,
                weight,
                missingVariable,
                standsInFor,
                cacheBreakpoints);
    }
}
