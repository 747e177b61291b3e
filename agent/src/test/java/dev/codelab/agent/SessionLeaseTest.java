package dev.codelab.agent;

import static dev.codelab.agent.AgentHarness.json;
import static dev.codelab.agent.AgentHarness.types;
import static dev.codelab.agent.HeldTurn.START;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import dev.codelab.agent.FakeOpenAi.Reply;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The per-session turn lease (docs/agent.md, "The session lease"): a lease left by a replica that went away is
 * taken over once it expired, and a replica that shuts down frees its sessions at once. The heartbeat is tested
 * in {@link LeaseHeartbeatTest}, turns that hold no connection while they wait in {@link TurnsHoldNoConnectionTest}.
 */
class SessionLeaseTest extends OneSessionTest {

    static final String AGAIN = """
            {"session_id":"s1","message":{"type":"user_message","content":"Again"}}\
            """;

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, Map.of());
    }

    @Test
    void aLeaseLeftByAReplicaThatDiedIsTakenOverOnceItExpired() throws Exception {
        agent.execute("UPDATE sessions SET turn_owner = 'dead-replica', turn_lease_until = now() + interval '1 hour'");

        HttpResponse<String> refused = agent.send("POST", "/agent/message/stream", "u1", AGAIN);
        assertThat(refused.statusCode(), is(409));
        assertThat(json(refused.body()).path("error").asText(), is("turn_in_progress"));

        agent.execute("UPDATE sessions SET turn_lease_until = now() - interval '1 second'");
        agent.llm.stream(Reply.text("Back"));

        assertThat(
                types(agent.turn("u1", "s1", START)),
                contains("agent_switched", "assistant_message", "assistant_message", "done:completed"));
        assertThat(agent.count("SELECT count(*) FROM sessions WHERE turn_owner IS NOT NULL"), is(0L));
    }

    @Test
    void aRequestForTheSessionOfAReplicaThatJustDiedWaitsForItsLeaseToRunOutAndRuns() throws Exception {
        // a replica killed mid-turn: its lease is still good for three seconds and nobody will renew it
        agent.execute(
                "UPDATE sessions SET turn_owner = 'killed-replica', turn_lease_until = now() + interval '3 seconds'");
        agent.llm.stream(Reply.text("Back"));

        assertThat(
                types(agent.turn("u1", "s1", START)),
                contains("agent_switched", "assistant_message", "assistant_message", "done:completed"));
        assertThat(agent.count("SELECT count(*) FROM sessions WHERE turn_owner IS NOT NULL"), is(0L));
    }

    @Test
    void aReplicaThatShutsDownFreesItsSessionsAtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        agent.llm.stream(Reply.textThenWait(release, "Thinking"), Reply.text("Elsewhere"));
        try (AgentHarness leaving = agent.replica()) {
            CompletableFuture.supplyAsync(() -> leaving.turn("u1", "s1", START));
            agent.llm.awaitStreamRequest();

            leaving.shutDown();

            assertThat(types(agent.turn("u1", "s1", START)).getLast(), is("done:completed"));
        } finally {
            release.countDown();
        }
    }
}
