package dev.codelab.llmproxy;

import static dev.codelab.llmproxy.StreamLifecycleTest.CHAT;
import static dev.codelab.llmproxy.testing.TestProxy.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.codelab.shared.fakellm.Reply;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Requests beyond {@code max-concurrent-requests} (1 here) are refused with 429. */
class ConcurrencyCapTest extends ProviderServerTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        StreamLifecycleTest.serveGpt(server, Map.of("llm-proxy.max-concurrent-requests", "1"));
    }

    @Test
    void requestsBeyondTheConcurrencyCapGet429() throws Exception {
        upstream.then(Reply.json(200, OpenAiProviderTest.COMPLETION).delayedBy(Duration.ofMillis(1500)));
        CompletableFuture<HttpResponse<String>> first =
                CompletableFuture.supplyAsync(() -> proxy.post("/v1/chat/completions", CHAT.formatted("")));
        while (upstream.requests().isEmpty()) {
            Thread.sleep(20);
        }

        HttpResponse<String> second = proxy.post("/v1/chat/completions", CHAT.formatted(""));

        assertThat(second.statusCode(), is(429));
        assertThat(second.headers().firstValue("Retry-After").orElse(""), is("1"));
        assertThat(json(second.body()).path("error").path("code").asText(), is("rate_limit_exceeded"));
        assertThat(first.get().statusCode(), is(200));
    }
}
