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
 */
public record Deployment(String id, String provider, String model, URI baseUrl, Optional<String> apiKey,
                         Duration timeout, int weight, Optional<String> missingVariable) {

    public boolean available() {
        return missingVariable.isEmpty();
    }
}
