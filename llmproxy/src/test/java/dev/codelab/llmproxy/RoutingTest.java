package dev.codelab.llmproxy;

import static dev.codelab.llmproxy.testing.TestProxy.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import dev.codelab.shared.fakellm.FakeLlm;
import dev.codelab.shared.fakellm.Reply;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Deployments and fallbacks. Tests that leave {@code primary} resting have a proxy of their own:
 * {@link FallbackTest}, {@link DeploymentRestTest}.
 */
class RoutingTest extends ProviderServerTest {

    static final String CHAT = "{\"model\":\"primary\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static final String FAILURE = "{\"error\":{\"message\":\"down\"}}";

    static FakeLlm primary;
    static FakeLlm secondary;

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serveTwoAliases(server);
    }

    /** Alias {@code primary} on one fake provider falling back to alias {@code secondary} on another. */
    static void serveTwoAliases(WebServerConfig.Builder server) {
        primary = startUpstream();
        secondary = startUpstream();
        serve(server, """
                models:
                  - alias: primary
                    deployments:
                      - {provider: openai, model: big, base_url: "%s"}
                    fallbacks: [secondary]
                  - alias: secondary
                    deployments:
                      - {provider: openai, model: small, base_url: "%s"}
                  - alias: keyless
                    deployments:
                      - {provider: openai, model: big, api_key_env: NOT_SET_ANYWHERE}
                """.formatted(primary.baseUrl(), secondary.baseUrl()), Map.of(), Map.of());
    }

    @Test
    void clientErrorsDoNotFallBack() {
        primary.then(Reply.json(400, FAILURE));
        secondary.then(Reply.json(200, OpenAiProviderTest.COMPLETION));

        HttpResponse<String> response = proxy.post("/v1/chat/completions", CHAT);

        assertThat(response.statusCode(), is(400));
        assertThat(secondary.requests(), hasSize(0));
    }

    @Test
    void aliasWithoutItsProviderKeyAnswers503() {
        HttpResponse<String> response = proxy.post("/v1/chat/completions", CHAT.replace("primary", "keyless"));

        assertThat(response.statusCode(), is(503));
        assertThat(json(response.body()).path("error").path("code").asText(), is("provider_unavailable"));
        assertThat(
                json(response.body()).path("error").path("message").asText(),
                is("Model keyless is unavailable: its provider needs the environment variable NOT_SET_ANYWHERE, "
                        + "which is not set for the LLM proxy"));
    }
}
