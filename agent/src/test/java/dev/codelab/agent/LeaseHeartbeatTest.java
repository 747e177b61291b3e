package dev.codelab.agent;

import static dev.codelab.agent.AgentHarness.json;
import static dev.codelab.agent.AgentHarness.types;
import static dev.codelab.agent.HeldTurn.START;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.agent.FakeOpenAi.Reply;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The lease heartbeat with a 1 s {@code turn-lease-seconds} (docs/agent.md, "The session lease"): it keeps a turn's
 * lease held beyond the lease time, and a turn whose lease was taken over meanwhile stops.
 */
class LeaseHeartbeatTest extends OneSessionTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, Map.of("agent-runtime.turn-lease-seconds", "1"));
    }

    @Test
    void theLeaseHoldsAcrossReplicasWhileTheTurnWaitsLongerThanTheLeaseTime() throws Exception {
        // without the heartbeat the 1 s lease would expire while the turn waits for its tokens
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<List<JsonNode>> first = turnWaitingForTokens(release, "Thinking");
        try (AgentHarness other = agent.replica()) {
            Thread.sleep(1500);

            HttpResponse<String> second = other.send("POST", "/agent/message/stream", "u1", SessionLeaseTest.AGAIN);

            assertThat(second.statusCode(), is(409));
            assertThat(json(second.body()).path("error").asText(), is("turn_in_progress"));
        } finally {
            release.countDown();
        }
        assertThat(types(first.get(10, TimeUnit.SECONDS)).getLast(), is("done:completed"));
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

    /** A turn of session s1 that streams {@code token} and then waits. */
    private CompletableFuture<List<JsonNode>> turnWaitingForTokens(CountDownLatch release, String token)
            throws Exception {
        agent.llm.stream(Reply.textThenWait(release, token));
        CompletableFuture<List<JsonNode>> turn = CompletableFuture.supplyAsync(() -> agent.turn("u1", "s1", START));
        agent.llm.awaitStreamRequest();
        return turn;
    }
}
