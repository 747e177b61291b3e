package dev.codelab.llmproxy;

import static dev.codelab.llmproxy.testing.TestProxy.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.fakellm.FakeLlm;
import dev.codelab.shared.fakellm.Reply;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Context windows: what {@code /v1/models} reports, and models skipped because the prompt does not fit them. */
class ContextWindowTest extends ProviderServerTest {

    static final String FAILURE = "{\"error\":{\"message\":\"down\"}}";

    static FakeLlm large;
    static FakeLlm small;
    static FakeLlm larger;

    /** Alias {@code large} falling back to {@code small} and {@code larger}, each on a fake provider of its own. */
    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        large = startUpstream();
        small = startUpstream();
        larger = startUpstream();
        serve(server, """
                models:
                  - alias: large
                    deployments:
                      - {provider: openai, model: large, base_url: "%s"}
                    fallbacks: [small, larger]
                    context_window: 2000
                    max_output_tokens: 500
                  - alias: small
                    deployments:
                      - {provider: openai, model: small, base_url: "%s"}
                    context_window: 1000
                  - alias: larger
                    deployments:
                      - {provider: openai, model: larger, base_url: "%s"}
                    context_window: 3000
                """.formatted(large.baseUrl(), small.baseUrl(), larger.baseUrl()), Map.of());
    }

    /**
     * A request for {@code model} whose one user message makes a prompt of {@code tokens} estimated tokens: the
     * content's characters / 4, one for the role, four for the message.
     */
    private static String chat(String model, int tokens) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat((tokens - 5) * 4) + "\"}]}";
    }

    @Test
    void theModelListReportsEachWindowLongestAnswerAndTheDefaultModel() {
        JsonNode list = json(proxy.get("/v1/models").body());

        assertThat(list.path("default_model").asText(), is("large"));
        assertThat(list.path("data").path(0).path("id").asText(), is("large"));
        assertThat(list.path("data").path(0).path("context_window").asInt(), is(2000));
        assertThat(list.path("data").path(0).path("max_output_tokens").asInt(), is(500));
        assertThat(list.path("data").path(1).path("context_window").asInt(), is(1000));
        assertThat(list.path("data").path(1).path("max_output_tokens").asInt(), is(4096));
    }

    @Test
    void aFallbackWhoseWindowIsTooSmallIsSkipped() {
        large.then(Reply.json(500, FAILURE)).then(Reply.json(500, FAILURE)).then(Reply.json(500, FAILURE));
        larger.then(Reply.json(200, OpenAiProviderTest.COMPLETION));

        HttpResponse<String> response = proxy.post("/v1/chat/completions", chat("large", 1500));

        assertThat(response.statusCode(), is(200));
        assertThat(large.requests(), hasSize(3));
        assertThat(small.requests(), hasSize(0));
        assertThat(larger.lastRequest().json().path("model").asText(), is("larger"));
    }

    @Test
    void aRequestedModelTooSmallForThePromptGoesStraightToAFallbackThatFits() {
        larger.then(Reply.json(200, OpenAiProviderTest.COMPLETION));

        HttpResponse<String> response = proxy.post("/v1/chat/completions", chat("large", 2500));

        assertThat(response.statusCode(), is(200));
        assertThat(large.requests(), hasSize(0));
        assertThat(small.requests(), hasSize(0));
        assertThat(larger.requests(), hasSize(1));
    }

    @Test
    void whenNothingFitsTheErrorSaysSoAndNoProviderIsCalled() {
        HttpResponse<String> response = proxy.post("/v1/chat/completions", chat("large", 3500));

        assertThat(response.statusCode(), is(400));
        assertThat(json(response.body()), is(json("""
                {"error":{"message":"The prompt (about 3500 tokens) is longer than the context window of every model \
                that could serve it: large (2000), small (1000), larger (3000)","type":"invalid_request_error",\
                "param":null,"code":"context_length_exceeded"}}""")));
        assertThat(large.requests(), hasSize(0));
        assertThat(small.requests(), hasSize(0));
        assertThat(larger.requests(), hasSize(0));
    }

    @Test
    void aStreamedRequestThatFitsNothingGetsTheSameErrorBeforeAnyChunk() {
        HttpResponse<String> response = proxy.post(
                "/v1/chat/completions", chat("small", 1200).replace("{\"model\"", "{\"stream\":true,\"model\""));

        assertThat(response.statusCode(), is(400));
        assertThat(json(response.body()).path("error").path("code").asText(), is("context_length_exceeded"));
    }
}
