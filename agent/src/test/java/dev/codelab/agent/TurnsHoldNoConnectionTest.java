package dev.codelab.agent;

import static dev.codelab.agent.AgentHarness.types;
import static dev.codelab.agent.HeldTurn.START;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.agent.FakeOpenAi.Reply;
import dev.codelab.shared.db.PoolUsage;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A running turn holds no database connection while it waits for the LLM (docs/agent.md, "The session lease"):
 * more concurrent turns than the pool has connections all complete.
 */
class TurnsHoldNoConnectionTest extends AgentServiceTest {

    private static final int POOL = 2;

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        // the background statements (cancel poll, lease heartbeat) far apart, so that none runs while we look
        serve(
                server,
                Map.of(
                        "agent-runtime.db-pool-size",
                        String.valueOf(POOL),
                        "agent-runtime.cancel-poll-ms",
                        "600000",
                        "agent-runtime.turn-lease-seconds",
                        "600"));
    }

    @Test
    void moreConcurrentTurnsThanThePoolHasConnectionsAllComplete() throws Exception {
        int turns = 12;
        CountDownLatch release = new CountDownLatch(1);
        List<CompletableFuture<List<JsonNode>>> running = new ArrayList<>();
        for (int i = 0; i < turns; i++) {
            String session = "c" + i;
            agent.createSession("u1", session);
            agent.llm.stream(Reply.textThenWait(release, "Token " + i));
            running.add(CompletableFuture.supplyAsync(() -> agent.turn("u1", session, START)));
        }

        // every turn is inside its LLM call at once, and not one holds a connection meanwhile
        agent.llm.awaitStreamRequests(turns);
        assertThat(agent.poolUsage().inUse(), is(0));
        release.countDown();

        for (CompletableFuture<List<JsonNode>> turn : running) {
            assertThat(
                    types(turn.get(30, TimeUnit.SECONDS)),
                    contains("agent_switched", "assistant_message", "assistant_message", "done:completed"));
        }
        assertThat(
                agent.count("SELECT count(*) FROM messages WHERE role = 'assistant' AND status = 'complete'"),
                is((long) turns));
        PoolUsage usage = agent.poolUsage();
        assertThat(usage.timeouts(), is(0L));
        assertThat(usage.inUse(), is(0));
    }
}
