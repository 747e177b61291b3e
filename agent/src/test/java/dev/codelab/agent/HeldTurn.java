package dev.codelab.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.agent.FakeOpenAi.Reply;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A turn of session {@code s1} started in the background whose LLM reply stays open until released (at the
 * latest on close).
 */
final class HeldTurn implements AutoCloseable {

    static final String START = """
            {"type":"user_message","content":"Fix the app"}\
            """;

    private final CountDownLatch release = new CountDownLatch(1);
    private final CompletableFuture<List<JsonNode>> events;

    HeldTurn(AgentHarness agent, Function<CountDownLatch, Reply> reply) throws InterruptedException {
        agent.llm.stream(reply.apply(release));
        events = CompletableFuture.supplyAsync(() -> agent.turn("u1", "s1", START));
        agent.llm.awaitStreamRequest();
    }

    /** Lets the LLM reply finish. */
    void release() {
        release.countDown();
    }

    /** Every event of the turn, once it has ended. */
    List<JsonNode> events() throws Exception {
        return events.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        release.countDown();
    }
}
