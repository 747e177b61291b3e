package dev.codelab.llmproxy;

import static dev.codelab.llmproxy.UpstreamErrorsTest.CHUNK;
import static dev.codelab.llmproxy.UpstreamErrorsTest.chat;
import static dev.codelab.llmproxy.UpstreamErrorsTest.openAiAlias;
import static dev.codelab.llmproxy.testing.TestProxy.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import dev.codelab.shared.fakellm.Reply;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A provider slower than the proxy waits, on a proxy that does not retry and gives up on a stream silent for
 * 300 ms: alias {@code gpt} waits 0.5 s for the first token, {@code gpt-patient} 5 s.
 */
class SlowProviderTest extends ProviderServerTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        upstream = startUpstream();
        serve(
                server,
                "models:\n" + openAiAlias("gpt", "0.5") + openAiAlias("gpt-patient", "5"),
                Map.of("llm-proxy.max-retries", "0", "llm-proxy.gap-timeout-ms", "300"),
                Map.of("KEY", "sk"));
    }

    @Test
    void providerSlowerThanTheFirstTokenTimeoutGives504() {
        upstream.then(Reply.json(200, OpenAiProviderTest.COMPLETION).delayedBy(Duration.ofSeconds(3)));

        HttpResponse<String> response = proxy.post("/v1/chat/completions", chat("gpt", ""));

        assertThat(response.statusCode(), is(504));
        assertThat(json(response.body()).path("error").path("code").asText(), is("timeout"));
    }

    @Test
    void streamThatGoesSilentEndsWithATimeoutErrorEvent() {
        upstream.then(Reply.openAiStream(CHUNK).silent());

        List<String> data = proxy.streamData(chat("gpt-patient", ",\"stream\":true"));

        assertThat(data, hasSize(2));
        assertThat(json(data.get(0)), is(json(CHUNK)));
        assertThat(json(data.get(1)).path("error").path("code").asText(), is("timeout"));
    }
}
