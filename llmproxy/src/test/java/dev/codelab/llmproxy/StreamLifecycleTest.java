package dev.codelab.llmproxy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.codelab.shared.fakellm.Reply;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The caller hanging up closes the provider request. Keep-alives are in {@link StreamKeepAliveTest}, the
 * concurrency cap in {@link ConcurrencyCapTest}.
 */
class StreamLifecycleTest extends ProviderServerTest {

    static final String CHAT = "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]%s}";

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serveGpt(server, Map.of());
    }

    /** A proxy whose alias {@code gpt} is one OpenAI deployment on a new {@link #upstream}, with these settings. */
    static void serveGpt(WebServerConfig.Builder server, Map<String, String> overrides) {
        upstream = startUpstream();
        serve(server, """
                models:
                  - alias: gpt
                    deployments:
                      - {provider: openai, model: gpt-4o, base_url: "%s"}
                """.formatted(upstream.baseUrl()), overrides, Map.of());
    }

    @Test
    void callerHangingUpClosesTheProviderRequest() throws Exception {
        String[] chunks = new String[200];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = OpenAiProviderTest.TEXT_CHUNKS.get(1);
        }
        upstream.then(Reply.openAiStream(chunks).withGap(Duration.ofMillis(50)));

        HttpResponse<Stream<String>> response = proxy.openStream(CHAT.formatted(",\"stream\":true"));
        Iterator<String> lines = response.body().iterator();
        assertThat(lines.next().startsWith("data: "), is(true));
        response.body().close();

        assertThat(upstream.awaitClientGone(Duration.ofSeconds(5)), is(true));
    }
}
