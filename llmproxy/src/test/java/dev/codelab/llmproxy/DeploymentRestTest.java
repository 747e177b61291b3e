package dev.codelab.llmproxy;

import static dev.codelab.llmproxy.RoutingTest.CHAT;
import static dev.codelab.llmproxy.RoutingTest.FAILURE;
import static dev.codelab.llmproxy.RoutingTest.primary;
import static dev.codelab.llmproxy.RoutingTest.secondary;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import dev.codelab.shared.fakellm.Reply;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The registry of {@link RoutingTest}: a deployment that failed three times in a row rests. */
class DeploymentRestTest extends ProviderServerTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        RoutingTest.serveTwoAliases(server);
    }

    @Test
    void deploymentFailingThreeTimesInARowRests() {
        primary.then(Reply.json(503, FAILURE))
                .then(Reply.json(503, FAILURE))
                .then(Reply.json(503, FAILURE))
                .then(Reply.json(200, OpenAiProviderTest.COMPLETION));
        secondary
                .then(Reply.json(200, OpenAiProviderTest.COMPLETION))
                .then(Reply.json(200, OpenAiProviderTest.COMPLETION));

        proxy.post("/v1/chat/completions", CHAT);
        HttpResponse<String> second = proxy.post("/v1/chat/completions", CHAT);

        assertThat(second.statusCode(), is(200));
        assertThat(primary.requests(), hasSize(3));
        assertThat(secondary.requests(), hasSize(2));
    }
}
