package dev.codelab.llmproxy;

import static dev.codelab.llmproxy.testing.TestProxy.json;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.llmproxy.provider.ProviderException;
import dev.codelab.llmproxy.provider.UpstreamGuard;
import dev.codelab.llmproxy.provider.UpstreamHttp;
import dev.codelab.shared.fakellm.FakeLlm;
import dev.codelab.shared.fakellm.Recorded;
import dev.codelab.shared.fakellm.Reply;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The provider connections: kept alive after a complete answer, dropped after an aborted one, never capped; a
 * failed connection names the call.
 */
class UpstreamConnectionsTest {

    static final String BODY = "{\"model\":\"m\",\"messages\":[]}";
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @AutoClose
    final FakeLlm upstream = FakeLlm.start();

    @AutoClose
    final UpstreamHttp http = new UpstreamHttp(Duration.ofSeconds(5));

    @Test
    void completeAnswersShareOneKeepAliveConnection() {
        upstream.then(Reply.json(200, "{\"n\":1}"))
                .then(Reply.chunked(200, "{\"n\":", "2}"))
                .then(Reply.json(200, "{\"n\":3}"));

        int sum = post().path("n").asInt()
                + post().path("n").asInt()
                + post().path("n").asInt();

        assertThat(sum, is(6));
        List<Integer> ports =
                upstream.requests().stream().map(Recorded::clientPort).toList();
        assertThat(
                "one connection after a sized and after a chunked answer: " + ports,
                ports.stream().distinct().count(),
                is(1L));
    }

    @Test
    void closingAStreamFromAnotherThreadWakesItsReaderAndDropsTheConnection() throws Exception {
        upstream.then(Reply.openAiStream("{}").silent()).then(Reply.json(200, "{}"));
        UpstreamHttp.Lines lines =
                http.postStream("openai", "r-1", uri(), Map.of(), json(BODY), TIMEOUT, UpstreamGuard.NONE);
        assertThat(lines.next(), is("data: {}"));
        assertThat(lines.next(), is(""));
        CompletableFuture<Boolean> reader =
                CompletableFuture.supplyAsync(lines::hasNext, Executors.newVirtualThreadPerTaskExecutor());
        Thread.sleep(200);

        lines.close();

        ExecutionException failure = assertThrows(ExecutionException.class, () -> reader.get(5, TimeUnit.SECONDS));
        assertThat(failure.getCause(), instanceOf(ProviderException.class));
        assertThat(((ProviderException) failure.getCause()).code(), is("provider_error"));
        post();
        assertThat(
                upstream.requests().get(1).clientPort(),
                not(is(upstream.requests().get(0).clientPort())));
    }

    @Test
    @Timeout(60)
    void manyStreamsToOneHostAreOpenAtOnce() {
        int streams = 120;
        for (int i = 0; i < streams; i++) {
            upstream.then(Reply.openAiStream("{\"i\":" + i + "}", "[DONE]"));
        }
        List<UpstreamHttp.Lines> open = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            open.add(http.postStream("openai", "r-1", uri(), Map.of(), json(BODY), TIMEOUT, UpstreamGuard.NONE));
        }

        for (int i = 0; i < streams; i++) {
            List<String> read = new ArrayList<>();
            try (UpstreamHttp.Lines lines = open.get(i)) {
                lines.forEachRemaining(read::add);
            }
            assertThat(read, contains("data: {\"i\":" + i + "}", "", "data: [DONE]", ""));
        }
    }

    @Test
    void anUnreachableProviderIs503AndTheCauseNamesTheCallAndTheRequest() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        URI unreachable = URI.create("http://127.0.0.1:" + closedPort + "/v1/chat/completions");

        ProviderException failure = assertThrows(
                ProviderException.class, () -> http.post("openai", "r-7", unreachable, Map.of(), json(BODY), TIMEOUT));

        assertThat(failure.status(), is(503));
        assertThat(failure.code(), is("provider_unavailable"));
        assertThat(
                failure.getCause().getMessage(),
                startsWith("http://127.0.0.1:" + closedPort + " POST /v1/chat/completions [request r-7]: "));
    }

    private JsonNode post() {
        return json(new String(http.post("openai", "r-1", uri(), Map.of(), json(BODY), TIMEOUT), UTF_8));
    }

    private URI uri() {
        return URI.create(upstream.baseUrl() + "/v1/chat/completions");
    }
}
