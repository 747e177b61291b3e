package dev.codelab.llmproxy;

import static dev.codelab.llmproxy.AnthropicProviderTest.OVERLOADED;
import static dev.codelab.llmproxy.AnthropicProviderTest.REQUEST;
import static dev.codelab.llmproxy.testing.TestProxy.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.fakellm.Reply;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The Anthropic deployment of {@link AnthropicProviderTest} overloaded on every attempt, in a class of its own:
 * three failures in a row rest the deployment ({@code cooldown-seconds}, 30 s), which the other tests on the same
 * proxy would meet.
 */
class AnthropicOverloadTest extends ProviderServerTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        AnthropicProviderTest.server(server);
    }

    @Test
    void overloaded529IsRetriedAndThenReportedAs503() {
        upstream.then(Reply.json(529, OVERLOADED))
                .then(Reply.json(529, OVERLOADED))
                .then(Reply.json(529, OVERLOADED));

        HttpResponse<String> response = proxy.post("/v1/chat/completions", REQUEST.formatted(""));

        assertThat(response.statusCode(), is(503));
        JsonNode error = json(response.body()).path("error");
        assertThat(error.path("type").asText(), is("provider_unavailable"));
        assertThat(error.path("message").asText(), containsString("Overloaded"));
        assertThat(upstream.requests(), hasSize(3));
    }
}
