package dev.codelab.llmproxy.routing;

import dev.codelab.llmproxy.registry.Deployment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Counts consecutive failures per deployment; after {@code maxFailures} in a row a deployment rests a while. */
public final class DeploymentHealth {

    private final int maxFailures;
    private final Duration rest;
    private final Clock clock;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    public DeploymentHealth(int maxFailures, Duration rest, Clock clock) {
        this.maxFailures = maxFailures;
        this.rest = rest;
        this.clock = clock;
    }

    public boolean resting(Deployment deployment) {
        State state = states.get(deployment.id());
        return state != null && state.restUntil().isAfter(clock.instant());
    }

    public void succeeded(Deployment deployment) {
        states.remove(deployment.id());
    }

    public void failed(Deployment deployment) {
        states.compute(deployment.id(), (id, state) -> {
            int failures = state == null ? 1 : state.failures() + 1;
            Instant restUntil = failures >= maxFailures ? clock.instant().plus(rest) : Instant.MIN;
            return new State(failures >= maxFailures ? 0 : failures, restUntil);
        });
    }

    private record State(int failures, Instant restUntil) {}
}
