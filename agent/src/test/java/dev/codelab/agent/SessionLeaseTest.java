package dev.codelab.agent;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.agent.FakeOpenAi.Reply;
import dev.codelab.shared.db.PoolUsage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.codelab.agent.AgentHarness.json;
import static dev.codelab.agent.AgentHarness.types;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

/**
 * The per-session turn lease (docs/agent.md, "The session lease"): a running turn holds no connection, no two
 * turns of a session run at once on any replica, and a session held by a replica that went away is free again.
 */
class SessionLeaseTest {

    private static final String START = "{\"type\":\"user_message\",\"content\":\"Fix the app\"}";
    private static final String AGAIN = "{\"session_id\":\"s1\",\"message\":{\"type\":\"user_message\",\"content\":\"Again\"}}";

    private AgentHarness agent;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void moreConcurrentTurnsThanThePoolHasConnectionsAllComplete() throws Exception {
        int pool = 2;
        int turns = 12;
        // the background statements (cancel poll, lease heartbeat) far apart, so that none runs while we look
        agent = new AgentHarness(Map.of("agent-runtime.db-pool-size", String.valueOf(pool),
                "agent-runtime.cancel-poll-ms", "600000", "agent-runtime.turn-lease-seconds", "600"));
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
            assertThat(types(turn.get(30, TimeUnit.SECONDS)), contains("agent_switched", "assistant_message",
                    "assistant_message", "done:completed"));
        }
        assertThat(agent.count("SELECT count(*) FROM messages WHERE role = 'assistant' AND status = 'complete'"),
                is((long) turns));
        PoolUsage usage = agent.poolUsage();
        assertThat(usage.timeouts(), is(0L));
        assertThat(usage.inUse(), is(0));
    }

    @Test
    void theLeaseHoldsAcrossReplicasWhileTheTurnWaitsLongerThanTheLeaseTime() throws Exception {
        // without the heartbeat the 1 s lease would expire while the turn waits for its tokens
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<List<JsonNode>> first = turnWaitingForTokens(release, "Thinking");
        try (AgentHarness other = agent.replica()) {
            Thread.sleep(1500);

            HttpResponse<String> second = other.send("POST", "/agent/message/stream", "u1", AGAIN);

            assertThat(second.statusCode(), is(409));
            assertThat(json(second.body()).path("error").asText(), is("turn_in_progress"));
        } finally {
            release.countDown();
        }
        assertThat(types(first.get(10, TimeUnit.SECONDS)).getLast(), is("done:completed"));
        assertThat(agent.count("SELECT count(*) FROM sessions WHERE turn_owner IS NOT NULL"), is(0L));
    }

    @Test
    void aLeaseLeftByAReplicaThatDiedIsTakenOverOnceItExpired() throws Exception {
        agent = new AgentHarness(Map.of());
        agent.createSession("u1", "s1");
        agent.execute("UPDATE sessions SET turn_owner = 'dead-replica', turn_lease_until = now() + interval '1 hour'");

        HttpResponse<String> refused = agent.send("POST", "/agent/message/stream", "u1", AGAIN);
        assertThat(refused.statusCode(), is(409));
        assertThat(json(refused.body()).path("error").asText(), is("turn_in_progress"));

        agent.execute("UPDATE sessions SET turn_lease_until = now() - interval '1 second'");
        agent.llm.stream(Reply.text("Back"));

        assertThat(types(agent.turn("u1", "s1", START)), contains("agent_switched", "assistant_message",
                "assistant_message", "done:completed"));
        assertThat(agent.count("SELECT count(*) FROM sessions WHERE turn_owner IS NOT NULL"), is(0L));
    }

    @Test
    void aRequestForTheSessionOfAReplicaThatJustDiedWaitsForItsLeaseToRunOutAndRuns() throws Exception {
        agent = new AgentHarness(Map.of());
        agent.createSession("u1", "s1");
        // a replica killed mid-turn: its lease is still good for three seconds and nobody will renew it
        agent.execute("UPDATE sessions SET turn_owner = 'killed-replica', turn_lease_until = now() + interval '3 seconds'");
        agent.llm.stream(Reply.text("Back"));

        assertThat(types(agent.turn("u1", "s1", START)), contains("agent_switched", "assistant_message",
                "assistant_message", "done:completed"));
        assertThat(agent.count("SELECT count(*) FROM sessions WHERE turn_owner IS NOT NULL"), is(0L));
    }

    @Test
    void aTurnWhoseLeaseWasTakenOverStopsAndWritesNothingMore() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<List<JsonNode>> stale = turnWaitingForTokens(release, "Stale");
        long messagesBefore = agent.count("SELECT count(*) FROM messages");

        // as if the lease had expired during an outage and another replica's request had taken the session
        agent.execute("UPDATE sessions SET turn_owner = 'other-replica', turn_lease_until = now() + interval '1 hour'");

        List<JsonNode> events = stale.get(10, TimeUnit.SECONDS);
        release.countDown();
        assertThat(types(events).getLast(), is("done:error"));
        assertThat(events.get(events.size() - 2).path("error_code").asText(), is("INTERNAL_ERROR"));
        assertThat(agent.count("SELECT count(*) FROM messages"), is(messagesBefore));
        assertThat(agent.count("SELECT count(*) FROM turns WHERE ended_at IS NULL"), is(1L));
        assertThat(agent.count("SELECT count(*) FROM sessions WHERE turn_owner = 'other-replica'"), is(1L));
    }

    /** A runtime with a 1 s lease, and a turn of its session s1 that streams {@code token} and then waits. */
    private CompletableFuture<List<JsonNode>> turnWaitingForTokens(CountDownLatch release, String token)
            throws Exception {
        agent = new AgentHarness(Map.of("agent-runtime.turn-lease-seconds", "1"));
        agent.createSession("u1", "s1");
        agent.llm.stream(Reply.textThenWait(release, token));
        CompletableFuture<List<JsonNode>> turn = CompletableFuture.supplyAsync(() -> agent.turn("u1", "s1", START));
        agent.llm.awaitStreamRequest();
        return turn;
    }

    @Test
    void aReplicaThatShutsDownFreesItsSessionsAtOnce() throws Exception {
        agent = new AgentHarness(Map.of());
        agent.createSession("u1", "s1");
        CountDownLatch release = new CountDownLatch(1);
        agent.llm.stream(Reply.textThenWait(release, "Thinking"), Reply.text("Elsewhere"));
        try (AgentHarness other = agent.replica()) {
            CompletableFuture.supplyAsync(() -> agent.turn("u1", "s1", START));
            agent.llm.awaitStreamRequest();

            agent.shutDown();

            assertThat(types(other.turn("u1", "s1", START)).getLast(), is("done:completed"));
        } finally {
            release.countDown();
        }
    }
}
