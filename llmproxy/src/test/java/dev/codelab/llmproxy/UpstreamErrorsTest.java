package dev.codelab.llmproxy;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.llmproxy.testing.FakeUpstream;
import dev.codelab.llmproxy.testing.FakeUpstream.Reply;
import dev.codelab.llmproxy.testing.TestProxy;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.codelab.llmproxy.testing.TestProxy.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** Provider failures become OpenAI errors with real statuses; transient ones are retried first. */
class UpstreamErrorsTest {

    static final String CHAT = "{\"model\":\"gpt\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]%s}";
    static final String CHUNK = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}";

    @AutoClose
    FakeUpstream upstream = FakeUpstream.start();
    @AutoClose
    TestProxy proxy;

    void startProxy(String timeoutSeconds, Map<String, String> overrides) {
        proxy = TestProxy.start("""
                models:
                  - alias: gpt
                    deployments:
                      - {provider: openai, model: gpt-4o, base_url: "%s", api_key_env: KEY, timeout_seconds: %s}
                """.formatted(upstream.baseUrl(), timeoutSeconds), overrides, Map.of("KEY", "sk"));
    }

    @ParameterizedTest(name = "provider {0} -> {1} {2} after {3} attempts")
    @CsvSource({
            "400, 400, invalid_request, 1",
            "401, 502, provider_auth_failed, 1",
            "403, 502, provider_auth_failed, 1",
            "404, 404, model_not_found, 1",
            "413, 413, request_too_large, 1",
            "500, 502, provider_error, 3",
            "502, 502, provider_error, 3",
            "503, 503, provider_unavailable, 3",
            "504, 504, timeout, 3",
            "529, 503, provider_unavailable, 3"})
    void providerStatusIsMappedAndRetriedOnlyWhenTransient(int providerStatus, int status, String code, int attempts) {
        startProxy("5", Map.of());
        String body = "{\"error\":{\"message\":\"upstream says no\",\"type\":\"x\",\"param\":null,\"code\":null}}";
        for (int i = 0; i < 3; i++) {
            upstream.then(Reply.json(providerStatus, body));
        }

        HttpResponse<String> response = proxy.post("/v1/chat/completions", CHAT.formatted(""));

        assertThat(response.statusCode(), is(status));
        JsonNode error = json(response.body()).path("error");
        assertThat(error.path("code").asText(), is(code));
        assertThat(error.path("message").asText(), containsString("upstream says no"));
        assertThat(error.has("type") && error.has("param"), is(true));
        assertThat(upstream.requests(), hasSize(attempts));
    }

    @Test
    void rateLimitPassesRetryAfterOnWhenItIsTooLongToWait() {
        startProxy("5", Map.of());
        upstream.then(Reply.json(429, "{\"error\":{\"message\":\"Rate limit reached\"}}").withHeader("Retry-After", "30"));

        HttpResponse<String> response = proxy.post("/v1/chat/completions", CHAT.formatted(""));

        assertThat(response.statusCode(), is(429));
        assertThat(response.headers().firstValue("Retry-After").orElse(""), is("30"));
        assertThat(json(response.body()).path("error").path("code").asText(), is("rate_limit_exceeded"));
        assertThat(upstream.requests(), hasSize(1));
    }

    @Test
    void rateLimitWithShortRetryAfterIsWaitedOutAndRetried() {
        startProxy("5", Map.of());
        upstream.then(Reply.json(429, "{\"error\":{\"message\":\"slow down\"}}").withHeader("Retry-After", "1"))
                .then(Reply.json(200, OpenAiProviderTest.COMPLETION));
        long start = System.nanoTime();

        HttpResponse<String> response = proxy.post("/v1/chat/completions", CHAT.formatted(""));

        assertThat(response.statusCode(), is(200));
        assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis() >= 1000, is(true));
        assertThat(upstream.requests(), hasSize(2));
    }

    @Test
    void retryThenSuccess() {
        startProxy("5", Map.of());
        upstream.then(Reply.json(500, "{\"error\":{\"message\":\"boom\"}}")).then(Reply.json(200, OpenAiProviderTest.COMPLETION));

        HttpResponse<String> response = proxy.post("/v1/chat/completions", CHAT.formatted(""));

        assertThat(response.statusCode(), is(200));
        assertThat(json(response.body()), is(json(OpenAiProviderTest.COMPLETION)));
        assertThat(upstream.requests(), hasSize(2));
    }

    @Test
    void providerSlowerThanTheFirstTokenTimeoutGives504() {
        startProxy("0.5", Map.of("llm-proxy.max-retries", "0"));
        upstream.then(Reply.json(200, OpenAiProviderTest.COMPLETION).delayedBy(Duration.ofSeconds(3)));

        HttpResponse<String> response = proxy.post("/v1/chat/completions", CHAT.formatted(""));

        assertThat(response.statusCode(), is(504));
        assertThat(json(response.body()).path("error").path("code").asText(), is("timeout"));
    }

    @Test
    void streamWithoutAFirstTokenInTimeGives504() {
        startProxy("0.5", Map.of());
        upstream.then(Reply.sse().silent());

        HttpResponse<String> response = proxy.post("/v1/chat/completions", CHAT.formatted(",\"stream\":true"));

        assertThat(response.statusCode(), is(504));
        assertThat(json(response.body()).path("error").path("code").asText(), is("timeout"));
        assertThat(upstream.requests(), hasSize(1));
    }

    @Test
    void streamThatGoesSilentEndsWithATimeoutErrorEvent() {
        startProxy("5", Map.of("llm-proxy.gap-timeout-ms", "300"));
        upstream.then(Reply.openAiStream(CHUNK).silent());

        List<String> data = proxy.streamData(CHAT.formatted(",\"stream\":true"));

        assertThat(data, hasSize(2));
        assertThat(json(data.get(0)), is(json(CHUNK)));
        assertThat(json(data.get(1)).path("error").path("code").asText(), is("timeout"));
    }

    @Test
    void unreachableProviderGives503() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        upstream.close();
        upstream = FakeUpstream.start();
        proxy = TestProxy.start("""
                models:
                  - alias: gpt
                    deployments:
                      - {provider: openai, model: gpt-4o, base_url: "http://127.0.0.1:%d/v1"}
                """.formatted(closedPort));

        HttpResponse<String> response = proxy.post("/v1/chat/completions", CHAT.formatted(""));

        assertThat(response.statusCode(), is(503));
        assertThat(json(response.body()).path("error").path("code").asText(), is("provider_unavailable"));
    }

    @Test
    void midStreamFailureIsNotRetriedAndEndsWithoutDone() {
        startProxy("5", Map.of());
        upstream.then(Reply.openAiStream(CHUNK)).then(Reply.openAiStream(CHUNK, "[DONE]"));

        List<String> data = proxy.streamData(CHAT.formatted(",\"stream\":true"));

        assertThat(data, hasSize(2));
        assertThat(data.getLast(), not(is("[DONE]")));
        assertThat(json(data.getLast()).path("error").path("code").asText(), is("provider_error"));
        assertThat(upstream.requests(), hasSize(1));
    }
}
