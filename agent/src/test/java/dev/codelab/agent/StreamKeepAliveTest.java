package dev.codelab.agent;

import static dev.codelab.agent.HeldTurn.START;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import dev.codelab.agent.FakeOpenAi.Reply;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keep-alive comments every 0.2 s: they flow while the LLM is silent, and writing one finds a caller that has gone.
 */
class StreamKeepAliveTest extends OneSessionTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, Map.of("agent-runtime.keep-alive-seconds", "0.2"));
    }

    @Test
    void callerClosingTheStreamCancelsTheTurn() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        agent.llm.stream(Reply.textThenWait(release, "Work"));
        try {
            HttpResponse<Stream<String>> res = agent.streamRequest("u1", "s1", START);
            Iterator<String> lines = res.body().iterator();
            while (lines.hasNext() && !lines.next().contains("\"token\":\"Work\"")) {
                // read up to the first token
            }
            res.body().close();

            long deadline = System.currentTimeMillis() + 10_000;
            while (agent.count("SELECT count(*) FROM turns WHERE state = 'cancelled'") == 0
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(agent.count("SELECT count(*) FROM turns WHERE state = 'cancelled'"), is(1L));
            assertThat(agent.count("SELECT count(*) FROM messages WHERE status = 'cancelled'"), is(1L));
        } finally {
            release.countDown();
        }
    }

    @Test
    void keepAliveCommentsFlowWhileTheLlmIsSilent() throws Exception {
        agent.llm.stream(Reply.delayed(800, "Hi"));

        List<String> lines = new ArrayList<>();
        agent.streamRequest("u1", "s1", START).body().forEach(lines::add);

        assertThat(lines, hasItem(": keep-alive"));
        assertThat(lines.getLast().isEmpty() || lines.getLast().startsWith("data:"), is(true));
        assertThat(
                lines.stream()
                        .filter(l -> l.startsWith("data: {\"type\":\"done\""))
                        .count(),
                is(1L));
    }
}
