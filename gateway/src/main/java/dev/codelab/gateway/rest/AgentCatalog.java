package dev.codelab.gateway.rest;

import dev.codelab.gateway.agent.AgentClient;
import dev.codelab.gateway.agent.AgentClient.AgentResponse;
import java.time.Duration;

/**
 * The answer to {@code GET /api/v1/agents}. The five agents are fixed by the agent runtime's release, so the
 * gateway keeps the agent's last 200 for a minute and answers from it without a hop; failures are not kept.
 */
final class AgentCatalog {

    static final Duration TTL = Duration.ofMinutes(1);

    private final AgentClient agent;
    private volatile Kept kept;

    AgentCatalog(AgentClient agent) {
        this.agent = agent;
    }

    AgentResponse agents(String userId, String requestId) {
        Kept current = kept;
        long now = System.nanoTime();
        if (current != null && now - current.fetchedNanos() < TTL.toNanos()) {
            return current.answer();
        }
        AgentResponse answer = agent.send("GET", "/agents", userId, requestId, null);
        if (answer.status() == 200) {
            kept = new Kept(answer, now);
        }
        return answer;
    }

    private record Kept(AgentResponse answer, long fetchedNanos) {}
}
