package dev.codelab.llmproxy.routing;

import dev.codelab.llmproxy.provider.Provider;
import dev.codelab.llmproxy.provider.ProviderException;
import dev.codelab.llmproxy.registry.Deployment;
import dev.codelab.llmproxy.registry.ModelEntry;
import dev.codelab.llmproxy.registry.ModelRegistry;
import dev.codelab.shared.retry.Backoff;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;

/**
 * Serves a request from a model alias: its deployments (weighted order, resting and key-less ones skipped), each
 * retried on transient failures with backoff, then the alias's fallbacks. Nothing is retried once the caller
 * has received part of the answer. An alias none of whose chain has its provider key answers as
 * {@link KeylessModels} says: 503 naming the variable, or the fake model standing in.
 */
public final class DeploymentRouter {

    private static final System.Logger LOG = System.getLogger(DeploymentRouter.class.getName());
    /** A provider asking for a longer pause than this is skipped rather than waited for. */
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(10);

    private final ModelRegistry registry;
    private final Map<String, Provider> providers;
    private final DeploymentHealth health;
    private final int maxRetries;
    private final Backoff backoff;
    private final KeylessModels keyless;

    public DeploymentRouter(
            ModelRegistry registry,
            Map<String, Provider> providers,
            DeploymentHealth health,
            int maxRetries,
            Backoff backoff,
            KeylessModels keyless) {
        this.registry = registry;
        this.providers = providers;
        this.health = health;
        this.maxRetries = maxRetries;
        this.backoff = backoff;
        this.keyless = keyless;
    }

    /**
     * Runs {@code attempt} until one deployment answers. Models (the requested one or a fallback) whose context
     * window is smaller than the prompt are skipped: the provider would only refuse the request.
     *
     * @param promptTokens the request's estimated prompt ({@link PromptEstimate})
     * @param committed    tells whether the caller already received part of the answer; then a failure is final
     */
    public <T> Served<T> route(ModelEntry model, int promptTokens, Attempt<T> attempt, BooleanSupplier committed) {
        List<ModelEntry> chain = fitting(withFallbacks(model), promptTokens);
        if (chain.stream().noneMatch(ModelEntry::available)) {
            return keyless(model, attempt);
        }
        ProviderException last = null;
        for (ModelEntry entry : chain) {
            for (Deployment deployment : order(entry.deployments())) {
                for (int retry = 0; ; retry++) {
                    try {
                        T value = attempt.run(entry, providers.get(deployment.provider()), deployment);
                        health.succeeded(deployment);
                        return new Served<>(value, entry, deployment);
                    } catch (ProviderException e) {
                        last = e;
                        if (e.failover()) {
                            health.failed(deployment);
                        }
                        // a transport failure's cause names the provider call and the request it serves
                        LOG.log(
                                Level.WARNING,
                                "Model " + entry.alias() + " via " + deployment.id() + " failed: " + e.getMessage()
                                        + (e.getCause() == null
                                                ? ""
                                                : " (" + e.getCause().getMessage() + ")"));
                        if (committed.getAsBoolean() || !e.failover()) {
                            throw e;
                        }
                        Duration wait = backoff.delay(retry, e.retryAfterSeconds());
                        if (!e.retryable()
                                || retry >= maxRetries
                                || wait.compareTo(MAX_RETRY_AFTER) > 0
                                || health.resting(deployment)) {
                            break;
                        }
                        sleep(wait);
                    }
                }
            }
        }
        throw last != null ? last : ProviderException.noDeployment(model.alias());
    }

    private <T> Served<T> keyless(ModelEntry model, Attempt<T> attempt) {
        String missing = model.missingVariable().orElseThrow();
        if (keyless == KeylessModels.UNAVAILABLE) {
            throw ProviderException.missingKey(model.alias(), missing);
        }
        Deployment standIn = Deployment.standIn(missing);
        return new Served<>(attempt.run(model, providers.get(standIn.provider()), standIn), model, standIn);
    }

    /** The models of {@code chain} whose window holds the prompt; none fitting is a 400 naming them all. */
    private static List<ModelEntry> fitting(List<ModelEntry> chain, int promptTokens) {
        List<ModelEntry> fitting = new ArrayList<>(chain.size());
        for (ModelEntry entry : chain) {
            if (entry.contextWindow() >= promptTokens) {
                fitting.add(entry);
            } else {
                LOG.log(
                        Level.INFO,
                        "Skipping model " + entry.alias() + ": its context window (" + entry.contextWindow()
                                + " tokens) is smaller than the prompt (about " + promptTokens + " tokens)");
            }
        }
        if (fitting.isEmpty()) {
            throw ProviderException.promptTooLong(
                    promptTokens,
                    chain.stream()
                            .map(e -> e.alias() + " (" + e.contextWindow() + ")")
                            .toList());
        }
        return fitting;
    }

    private List<ModelEntry> withFallbacks(ModelEntry model) {
        Set<String> seen = new LinkedHashSet<>();
        List<ModelEntry> chain = new ArrayList<>();
        chain.add(model);
        seen.add(model.alias());
        for (String fallback : model.fallbacks()) {
            if (seen.add(fallback)) {
                registry.find(fallback).ifPresent(chain::add);
            }
        }
        return chain;
    }

    /** Usable deployments in weighted random order: each next one drawn with probability proportional to its weight. */
    private List<Deployment> order(List<Deployment> deployments) {
        List<Deployment> pool = new ArrayList<>(deployments.size());
        int total = 0;
        for (Deployment d : deployments) {
            if (d.available() && !health.resting(d)) {
                pool.add(d);
                total += weight(d);
            }
        }
        List<Deployment> ordered = new ArrayList<>(pool.size());
        while (!pool.isEmpty()) {
            int ticket = ThreadLocalRandom.current().nextInt(total);
            for (int i = 0; i < pool.size(); i++) {
                ticket -= weight(pool.get(i));
                if (ticket < 0) {
                    Deployment drawn = pool.remove(i);
                    total -= weight(drawn);
                    ordered.add(drawn);
                    break;
                }
            }
        }
        return ordered;
    }

    private static int weight(Deployment d) {
        return Math.max(1, d.weight());
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to retry", e);
        }
    }

    /** One call of one deployment. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run(ModelEntry entry, Provider provider, Deployment deployment);
    }

    /** The answer and who gave it. */
    public record Served<T>(T value, ModelEntry entry, Deployment deployment) {}
}
