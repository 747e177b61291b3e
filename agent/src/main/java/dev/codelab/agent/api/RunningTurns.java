package dev.codelab.agent.api;

import dev.codelab.agent.llm.Cancellation;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The turns this process is streaming right now, by session, so a {@code cancel} frame posted as its own request
 * (or found by the {@link CancelWatch}, or a lost lease) reaches the running one.
 */
final class RunningTurns {

    private final ConcurrentMap<String, Cancellation> running = new ConcurrentHashMap<>();

    void started(String sessionId, Cancellation cancellation) {
        running.put(sessionId, cancellation);
    }

    void ended(String sessionId, Cancellation cancellation) {
        running.remove(sessionId, cancellation);
    }

    Optional<Cancellation> find(String sessionId) {
        return Optional.ofNullable(running.get(sessionId));
    }

    void cancel(String sessionId) {
        find(sessionId).ifPresent(Cancellation::cancel);
    }

    Set<String> sessionIds() {
        return Set.copyOf(running.keySet());
    }
}
