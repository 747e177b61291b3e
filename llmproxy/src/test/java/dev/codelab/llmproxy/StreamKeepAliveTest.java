package dev.codelab.llmproxy;

import static dev.codelab.llmproxy.StreamLifecycleTest.CHAT;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.codelab.shared.fakellm.Reply;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keep-alive comments every 200 ms: they flow while the provider is silent, and find a caller that has gone. */
class StreamKeepAliveTest extends ProviderServerTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        StreamLifecycleTest.serveGpt(server, Map.of("llm-proxy.keep-alive-ms", "200"));
    }

    @Test
    void callerHangingUpWhileTheProviderIsSilentIsNoticedByTheKeepAlive() throws Exception {
        upstream.then(Reply.openAiStream(OpenAiProviderTest.TEXT_CHUNKS.get(0)).hanging());

        HttpResponse<Stream<String>> response = proxy.openStream(CHAT.formatted(",\"stream\":true"));
        assertThat(response.body().iterator().next().startsWith("data: "), is(true));
        response.body().close();

        assertThat(upstream.awaitClientGone(Duration.ofSeconds(5)), is(true));
    }

    @Test
    void keepAliveCommentsFlowWhileTheProviderIsSilent() {
        upstream.then(Reply.openAiStream(
                        OpenAiProviderTest.TEXT_CHUNKS.get(0), OpenAiProviderTest.TEXT_CHUNKS.get(2), "[DONE]")
                .withGap(Duration.ofMillis(700)));

        HttpResponse<Stream<String>> response = proxy.openStream(CHAT.formatted(",\"stream\":true"));
        List<String> lines = new ArrayList<>();
        try (Stream<String> body = response.body()) {
            body.forEach(lines::add);
        }

        int firstData = lines.indexOf("data: " + OpenAiProviderTest.TEXT_CHUNKS.get(0));
        int secondData = lines.indexOf("data: " + OpenAiProviderTest.TEXT_CHUNKS.get(2));
        assertThat(lines.subList(firstData, secondData).contains(": keep-alive"), is(true));
        assertThat(lines.getLast().isEmpty() && lines.contains("data: [DONE]"), is(true));
    }
}
