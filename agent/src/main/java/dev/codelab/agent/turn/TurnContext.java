package dev.codelab.agent.turn;

import dev.codelab.agent.agents.AgentType;
import dev.codelab.agent.llm.Cancellation;
import dev.codelab.agent.llm.LlmCall;
import dev.codelab.agent.store.MessageStore;
import dev.codelab.agent.store.SessionLease;
import dev.codelab.agent.store.SessionStore;
import dev.codelab.agent.store.SessionStore.Session;
import dev.codelab.agent.store.Turns;
import dev.codelab.shared.db.Sql;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One request's hold on a session: reads through {@link #sql()} (a connection per statement), writes under its
 * lease (one fenced transaction each), where its events go, and its cancel switch. It holds no connection between
 * statements, so a turn waiting for tokens costs the pool nothing.
 *
 * @param userId the user the turn runs for ({@code X-User-Id}); null for a trusted service
 */
public record TurnContext(
        Sql sql, SessionLease lease, String requestId, String userId, EventSink sink, Cancellation cancellation) {

    public String sessionId() {
        return lease.sessionId();
    }

    /** Whom an LLM call made by {@code agent} in this turn is for (metering and budgets). */
    public LlmCall llmCall(AgentType agent) {
        return new LlmCall(requestId, userId, sessionId(), agent.id());
    }

    /** The call that condenses this session's history, metered as the runtime's {@code condenser}. */
    public LlmCall summaryCall() {
        return new LlmCall(requestId, userId, sessionId(), "condenser");
    }

    public Session session() {
        return SessionStore.find(sql, sessionId()).orElseThrow();
    }

    /** The session's open turn, started when none is open. */
    public long openTurn() {
        return Turns.open(sql, sessionId())
                .map(Turns.Turn::id)
                .orElseGet(() -> writeAndGet(tx -> Turns.start(tx, sessionId()).id()));
    }

    /** The model's tool call that waits for its result, if the newest message is one. */
    public Optional<AwaitedCall> awaitedCall() {
        return MessageStore.awaitingResult(sql, sessionId()).map(AwaitedCall::new);
    }

    /** Runs {@code work} in one transaction under the session lease. */
    public void write(Consumer<Sql> work) {
        lease.write(work);
    }

    public <T> T writeAndGet(Function<Sql, T> work) {
        return lease.writeAndGet(work);
    }
}
