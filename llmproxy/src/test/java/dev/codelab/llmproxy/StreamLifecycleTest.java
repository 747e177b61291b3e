package dev.codelab.llmproxy;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import dev.codelab.llmproxy.testing.FakeUpstream;
import dev.codelab.llmproxy.testing.FakeUpstream.Reply;
import dev.codelab.llmproxy.testing.TestProxy;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import static dev.codelab.llmproxy.testing.TestProxy.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** Keep-alives, the caller hanging up, and the concurrency cap. */
class StreamLifecycleTest {

    static final String CHAT = "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]%s}";

    @AutoClose
    FakeUpstream upstream = FakeUpstream.start();
    @AutoClose
    TestProxy proxy;

    void startProxy(Map<String, String> overrides) {
        proxy = TestProxy.start("""
                models:
                  - alias: gpt
                    deployments:
                      - {provider: openai, model: gpt-4o, base_url: "%s"}
                """.formatted(upstream.baseUrl()), overrides, Map.of());
    }

    @Test
    void callerHangingUpClosesTheProviderRequest() throws Exception {
        startProxy(Map.of());
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

    @Test
    void callerHangingUpWhileTheProviderIsSilentIsNoticedByTheKeepAlive() throws Exception {
        startProxy(Map.of("llm-proxy.keep-alive-ms", "200"));
        upstream.then(Reply.openAiStream(OpenAiProviderTest.TEXT_CHUNKS.get(0)).hanging());

        HttpResponse<Stream<String>> response = proxy.openStream(CHAT.formatted(",\"stream\":true"));
        assertThat(response.body().iterator().next().startsWith("data: "), is(true));
        response.body().close();

        assertThat(upstream.awaitClientGone(Duration.ofSeconds(5)), is(true));
    }

    @Test
    void keepAliveCommentsFlowWhileTheProviderIsSilent() {
        startProxy(Map.of("llm-proxy.keep-alive-ms", "200"));
        upstream.then(Reply.openAiStream(OpenAiProviderTest.TEXT_CHUNKS.get(0), OpenAiProviderTest.TEXT_CHUNKS.get(2), "[DONE]")
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

    @Test
    void requestsBeyondTheConcurrencyCapGet429() throws Exception {
        startProxy(Map.of("llm-proxy.max-concurrent-requests", "1"));
        upstream.then(Reply.json(200, OpenAiProviderTest.COMPLETION).delayedBy(Duration.ofMillis(1500)));
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(
                () -> proxy.post("/v1/chat/completions", CHAT.formatted("")));
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
