package dev.codelab.llmproxy;

import java.net.http.HttpResponse;
import java.util.Map;

import dev.codelab.llmproxy.testing.FakeUpstream;
import dev.codelab.llmproxy.testing.FakeUpstream.Reply;
import dev.codelab.llmproxy.testing.TestProxy;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import static dev.codelab.llmproxy.testing.TestProxy.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/** Deployments, fallbacks and the rest a failing deployment gets. */
class RoutingTest {

    static final String CHAT = "{\"model\":\"primary\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static final String FAILURE = "{\"error\":{\"message\":\"down\"}}";

    @AutoClose
    final FakeUpstream primary = FakeUpstream.start();
    @AutoClose
    final FakeUpstream secondary = FakeUpstream.start();
    @AutoClose
    final TestProxy proxy = TestProxy.start("""
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

    @Test
    void clientErrorsDoNotFallBack() {
        primary.then(Reply.json(400, FAILURE));
        secondary.then(Reply.json(200, OpenAiProviderTest.COMPLETION));

        HttpResponse<String> response = proxy.post("/v1/chat/completions", CHAT);

        assertThat(response.statusCode(), is(400));
        assertThat(secondary.requests(), hasSize(0));
    }

    @Test
    void deploymentFailingThreeTimesInARowRests() {
        primary.then(Reply.json(503, FAILURE)).then(Reply.json(503, FAILURE)).then(Reply.json(503, FAILURE))
                .then(Reply.json(200, OpenAiProviderTest.COMPLETION));
        secondary.then(Reply.json(200, OpenAiProviderTest.COMPLETION)).then(Reply.json(200, OpenAiProviderTest.COMPLETION));

        proxy.post("/v1/chat/completions", CHAT);
        HttpResponse<String> second = proxy.post("/v1/chat/completions", CHAT);

        assertThat(second.statusCode(), is(200));
        assertThat(primary.requests(), hasSize(3));
        assertThat(secondary.requests(), hasSize(2));
    }

    @Test
    void aliasWithoutItsProviderKeyAnswers503() {
        HttpResponse<String> response = proxy.post("/v1/chat/completions", CHAT.replace("primary", "keyless"));

        assertThat(response.statusCode(), is(503));
        assertThat(json(response.body()).path("error").path("code").asText(), is("provider_unavailable"));
        assertThat(json(response.body()).path("error").path("message").asText(),
                is("Model keyless is unavailable: its provider needs the environment variable NOT_SET_ANYWHERE, "
                        + "which is not set for the LLM proxy"));
    }
}
