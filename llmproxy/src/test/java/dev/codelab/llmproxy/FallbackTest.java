package dev.codelab.llmproxy;

import static dev.codelab.llmproxy.RoutingTest.CHAT;
import static dev.codelab.llmproxy.RoutingTest.FAILURE;
import static dev.codelab.llmproxy.RoutingTest.primary;
import static dev.codelab.llmproxy.RoutingTest.secondary;
import static dev.codelab.llmproxy.testing.TestProxy.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import dev.codelab.shared.fakellm.Reply;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The registry of {@link RoutingTest}: when every attempt at {@code primary} failed, {@code secondary} answers. */
class FallbackTest extends ProviderServerTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        RoutingTest.serveTwoAliases(server);
    }

    @Test
    void fallsBackToTheNextAliasWhenEveryAttemptFailed() {
        primary.then(Reply.json(500, FAILURE)).then(Reply.json(500, FAILURE)).then(Reply.json(500, FAILURE));
        secondary.then(Reply.json(200, OpenAiProviderTest.COMPLETION));

        HttpResponse<String> response = proxy.post("/v1/chat/completions", CHAT);

        assertThat(response.statusCode(), is(200));
        assertThat(json(response.body()), is(json(OpenAiProviderTest.COMPLETION)));
        assertThat(primary.requests(), hasSize(3));
        assertThat(secondary.lastRequest().json().path("model").asText(), is("small"));
    }
}
