package dev.codelab.llmproxy;

import static dev.codelab.llmproxy.FakeStandInTest.chat;
import static dev.codelab.llmproxy.testing.TestProxy.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.codelab.shared.fakellm.Reply;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A registry with a pattern alias ({@code local/*}) and an exact one under the same prefix. */
class PatternAliasTest extends ProviderServerTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        upstream = startUpstream();
        serve(server, """
                models:
                  - alias: "local/*"
                    deployments:
                      - {provider: openai, model: "*", base_url: "%1$s"}
                  - alias: "local/pinned"
                    deployments:
                      - {provider: openai, model: pinned-v2, base_url: "%1$s"}
                """.formatted(upstream.baseUrl()), Map.of());
    }

    @Test
    void aPatternAliasSendsTheMatchedNameToItsProviderAndExactAliasesWin() {
        upstream.then(Reply.json(200, OpenAiProviderTest.COMPLETION))
                .then(Reply.json(200, OpenAiProviderTest.COMPLETION));

        assertThat(
                proxy.post("/v1/chat/completions", chat("local/llama3.2", false))
                        .statusCode(),
                is(200));
        assertThat(
                proxy.post("/v1/chat/completions", chat("local/pinned", false)).statusCode(), is(200));

        assertThat(upstream.requests().get(0).json().path("model").asText(), is("llama3.2"));
        assertThat(upstream.requests().get(1).json().path("model").asText(), is("pinned-v2"));
        assertThat(
                json(proxy.post("/v1/chat/completions", chat("local/", false)).body())
                        .path("error")
                        .path("code")
                        .asText(),
                is("model_not_found"));
    }
}
