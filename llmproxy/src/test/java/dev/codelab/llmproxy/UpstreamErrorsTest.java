package dev.codelab.llmproxy;

import static dev.codelab.llmproxy.testing.TestProxy.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.fakellm.Reply;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Provider failures become OpenAI errors with real statuses; transient ones are retried first. Every test needs
 * a deployment that has never rested, so here a deployment rests only after a million failures in a row (the
 * rest itself is {@link DeploymentRestTest}'s subject). A provider slower than the timeouts with other retry and
 * gap settings is {@link SlowProviderTest}.
 */
class UpstreamErrorsTest extends ProviderServerTest {

    static final String CHAT = chat("gpt", "%s");
    static final String CHUNK = """
                    {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,\
                    "delta":{"content":"Hel"},"finish_reason":null}]}""";

    /**
     * Alias {@code gpt} on {@link #upstream} (first token within 5 s), {@code gpt-impatient} on the same provider
     * (0.5 s) and {@code unreachable} on a port nobody listens on.
     */
    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        upstream = startUpstream();
        serve(
                server,
                "models:\n" + openAiAlias("gpt", "5") + openAiAlias("gpt-impatient", "0.5")
                        + """
                  - alias: unreachable
                    deployments:
                      - {provider: openai, model: gpt-4o, base_url: "http://127.0.0.1:%d/v1"}
                """.formatted(closedPort()),
                Map.of("llm-proxy.cooldown-failures", "1000000"),
                Map.of("KEY", "sk"));
    }

    /**
     * Registry lines: {@code alias} as one OpenAI deployment on {@link #upstream} waiting this long for the first
     * token.
     */
    static String openAiAlias(String alias, String timeoutSeconds) {
        return "  - alias: " + alias + "\n    deployments:\n      - {provider: openai, model: gpt-4o, base_url: \""
                + upstream.baseUrl() + "\", api_key_env: KEY, timeout_seconds: " + timeoutSeconds + "}\n";
    }

    /** A chat completion request for {@code model}, with these extra fields. */
    static String chat(String model, String extraFields) {
        return "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]%s}"
                .formatted(model, extraFields);
    }

    /** A port nobody listens on. */
    static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        "529, 503, provider_unavailable, 3"
    })
    void providerStatusIsMappedAndRetriedOnlyWhenTransient(int providerStatus, int status, String code, int attempts) {
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
        upstream.then(Reply.json(429, "{\"error\":{\"message\":\"Rate limit reached\"}}")
                .withHeader("Retry-After", "30"));

        HttpResponse<String> response = proxy.post("/v1/chat/completions", CHAT.formatted(""));

        assertThat(response.statusCode(), is(429));
        assertThat(response.headers().firstValue("Retry-After").orElse(""), is("30"));
        assertThat(json(response.body()).path("error").path("code").asText(), is("rate_limit_exceeded"));
        assertThat(upstream.requests(), hasSize(1));
    }

    @Test
    void rateLimitWithShortRetryAfterIsWaitedOutAndRetried() {
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
        upstream.then(Reply.json(500, "{\"error\":{\"message\":\"boom\"}}"))
                .then(Reply.json(200, OpenAiProviderTest.COMPLETION));

        HttpResponse<String> response = proxy.post("/v1/chat/completions", CHAT.formatted(""));

        assertThat(response.statusCode(), is(200));
        assertThat(json(response.body()), is(json(OpenAiProviderTest.COMPLETION)));
        assertThat(upstream.requests(), hasSize(2));
    }

    @Test
    void streamWithoutAFirstTokenInTimeGives504() {
        upstream.then(Reply.sse().silent());

        HttpResponse<String> response = proxy.post("/v1/chat/completions", chat("gpt-impatient", ",\"stream\":true"));

        assertThat(response.statusCode(), is(504));
        assertThat(json(response.body()).path("error").path("code").asText(), is("timeout"));
        assertThat(upstream.requests(), hasSize(1));
    }

    @Test
    void unreachableProviderGives503() {
        HttpResponse<String> response = proxy.post("/v1/chat/completions", chat("unreachable", ""));

        assertThat(response.statusCode(), is(503));
        assertThat(json(response.body()).path("error").path("code").asText(), is("provider_unavailable"));
    }

    @Test
    void midStreamFailureIsNotRetriedAndEndsWithoutDone() {
        upstream.then(Reply.openAiStream(CHUNK)).then(Reply.openAiStream(CHUNK, "[DONE]"));

        List<String> data = proxy.streamData(CHAT.formatted(",\"stream\":true"));

        assertThat(data, hasSize(2));
        assertThat(data.getLast(), not(is("[DONE]")));
        assertThat(json(data.getLast()).path("error").path("code").asText(), is("provider_error"));
        assertThat(upstream.requests(), hasSize(1));
    }
}
