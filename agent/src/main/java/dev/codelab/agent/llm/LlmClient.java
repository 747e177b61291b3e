package dev.codelab.agent.llm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.agent.AgentSettings;
import dev.codelab.shared.http.InternalAuthFilter;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.http.RequestLog;
import dev.codelab.shared.sse.SseEventReader;

import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.WebClient;

/**
 * Calls the LLM proxy's {@code /v1/chat/completions} (OpenAI format). Streams are read line by line and each
 * text delta is handed on at once; tool-call deltas are joined by index. Transport errors, 408, 429 and 5xx are
 * retried with exponential back-off and jitter ({@code Retry-After} honoured), but only while nothing has been
 * handed on: after the first forwarded delta a failure is final.
 *
 * <p>Helidon WebClient reads the response on the calling (virtual) thread, so each delta goes from the socket to
 * {@code onText} without a hand-off between threads.
 */
public final class LlmClient {

    private static final System.Logger LOG = System.getLogger(LlmClient.class.getName());
    private static final long MAX_RETRY_AFTER_MS = 60_000;
    private static final Duration READINESS_TIMEOUT = Duration.ofSeconds(2);

    private final WebClient http;
    private final URI endpoint;
    private final URI health;
    private final AgentSettings settings;

    public LlmClient(AgentSettings settings) {
        this.settings = settings;
        this.endpoint = URI.create(settings.llmProxyUrl() + "/v1/chat/completions");
        this.health = URI.create(settings.llmProxyUrl() + "/health");
        this.http = WebClient.builder()
                .connectTimeout(settings.llmConnectTimeout())
                // every socket read: the wait for the headers and any silence inside a stream (llmproxy writes a
                // keep-alive comment every 15 s, so only a dead proxy stays silent that long)
                .readTimeout(settings.llmTimeout())
                // an internal hop: never through a system-configured proxy (WebClient's default)
                .proxy(Proxy.noProxy())
                // every SSE event is a small write: Nagle would hold it back until the previous one is acknowledged
                .socketOptions(options -> options.tcpNoDelay(true))
                // its own pool, which close() releases
                .shareConnectionCache(false)
                .build();
    }

    /** A request body with the configured model (if any) and the given messages. */
    public ObjectNode newRequest() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        settings.llmModel().ifPresent(model -> body.put("model", model));
        return body;
    }

    /**
     * Streams one completion, calling {@code onText} with every text delta as it arrives.
     *
     * @throws LlmFailure   when the call failed for good
     * @throws LlmCancelled when {@code cancellation} fired during the call
     */
    public Completion stream(ObjectNode body, String requestId, Consumer<String> onText, Cancellation cancellation) {
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        byte[] entity = entity(body);
        StreamState state = new StreamState();
        for (int attempt = 0; ; attempt++) {
            if (cancellation.isCancelled()) {
                throw new LlmCancelled(state.text.toString());
            }
            Retry retry;
            try (HttpClientResponse response = awaitHeaders(request(requestId, "text/event-stream"), entity,
                    cancellation)) {
                if (response.status().code() == 200) {
                    Optional<Completion> done = readStream(response, state, onText, cancellation);
                    if (done.isPresent()) {
                        return done.get();
                    }
                    retry = state.timedOut ? timeout() : new Retry("the LLM stream ended before [DONE]", Optional.empty());
                } else {
                    retry = Retry.ofStatus(response);
                }
            } catch (IOException e) {
                retry = isTimeout(e) ? timeout()
                        : new Retry("cannot reach the LLM proxy: " + e.getMessage(), Optional.empty());
            }
            if (cancellation.isCancelled()) {
                throw new LlmCancelled(state.text.toString());
            }
            if (state.forwarded || !retry.retryable() || attempt >= settings.llmMaxRetries()) {
                throw new LlmFailure(retry.message(), state.text.toString(), retry.timeout());
            }
            LOG.log(System.Logger.Level.WARNING, "LLM call failed (" + retry.message() + "), retrying");
            if (cancellation.sleep(backoff(attempt, retry.retryAfterMs()))) {
                throw new LlmCancelled(state.text.toString());
            }
        }
    }

    /**
     * A non-streaming completion with {@code response_format: json_object}; returns the message content.
     *
     * @throws LlmFailure when the call failed for good
     */
    public String completeJson(ObjectNode body, String requestId, Cancellation cancellation) {
        body.putObject("response_format").put("type", "json_object");
        byte[] entity = entity(body);
        for (int attempt = 0; ; attempt++) {
            Retry retry;
            try (HttpClientResponse response = TransportErrors.io(
                    () -> request(requestId, "application/json").submit(entity))) {
                if (response.status().code() == 200) {
                    String answer = TransportErrors.io(() -> response.as(String.class));
                    JsonNode content = Json.read(answer).path("choices").path(0).path("message").path("content");
                    if (content.isTextual()) {
                        return content.asText();
                    }
                    throw new LlmFailure("the LLM answer has no message content", "", false);
                }
                retry = Retry.ofStatus(response);
            } catch (IOException e) {
                retry = isTimeout(e) ? timeout()
                        : new Retry("cannot reach the LLM proxy: " + e.getMessage(), Optional.empty());
            }
            if (!retry.retryable() || attempt >= settings.llmMaxRetries()
                    || cancellation.sleep(backoff(attempt, retry.retryAfterMs()))) {
                throw new LlmFailure(retry.message(), "", retry.timeout());
            }
        }
    }

    /** Whether the proxy answers its health check, for readiness. */
    public boolean isReachable() {
        try (HttpClientResponse response = http.get().uri(health).readTimeout(READINESS_TIMEOUT).request()) {
            return response.status().code() == 200;
        } catch (RuntimeException e) {
            // WebClient's way of saying the proxy cannot be reached (see TransportErrors)
            return false;
        }
    }

    /**
     * Releases the pooled connections. Calls still in flight end with their request threads, which the stopping
     * server has interrupted (an interrupt closes the socket a virtual thread is blocked on).
     */
    public void close() {
        http.closeResource();
    }

    private HttpClientRequest request(String requestId, String accept) {
        HttpClientRequest request = http.post()
                .uri(endpoint)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .header(HeaderNames.ACCEPT, accept)
                .header(InternalAuthFilter.HEADER, settings.internalApiKey());
        if (requestId != null) {
            request.header(RequestLog.HEADER, requestId);
        }
        return request;
    }

    private static byte[] entity(ObjectNode body) {
        return Json.write(body).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Sends the request and waits for the response headers; a cancel interrupts the wait even while the proxy has
     * not answered yet (then this fails, and the caller sees the cancellation).
     */
    private static HttpClientResponse awaitHeaders(HttpClientRequest request, byte[] entity,
                                                   Cancellation cancellation) throws IOException {
        if (!cancellation.interruptOnCancel()) {
            throw new IOException("cancelled");
        }
        try {
            return TransportErrors.io(() -> request.submit(entity));
        } finally {
            cancellation.doneBlocking();
        }
    }

    /** Reads one stream; empty when it broke off before {@code [DONE]} (retryable if nothing was forwarded). */
    private Optional<Completion> readStream(HttpClientResponse response, StreamState state, Consumer<String> onText,
                                            Cancellation cancellation) {
        if (!cancellation.abortOnCancel(response::close)) {
            throw new LlmCancelled(state.text.toString());
        }
        ToolCallDeltas toolCalls = new ToolCallDeltas();
        int promptTokens = 0;
        int completionTokens = 0;
        try {
            BufferedReader reader = new BufferedReader(
                    new InputStreamReader(TransportErrors.body(response), StandardCharsets.UTF_8));
            Iterator<SseEventReader.SseEvent> events = new SseEventReader(reader.lines().iterator()).iterator();
            while (events.hasNext()) {
                String data = events.next().data();
                if (data.strip().equals("[DONE]")) {
                    readToEnd(reader);
                    return Optional.of(new Completion(state.text.toString(), toolCalls.calls(), promptTokens,
                            completionTokens));
                }
                JsonNode chunk = Json.read(data);
                if (chunk.has("error")) {
                    LOG.log(System.Logger.Level.WARNING, "LLM stream error: " + chunk.get("error"));
                    state.timedOut = chunk.path("error").path("code").asText().equals("timeout");
                    return Optional.empty();
                }
                JsonNode delta = chunk.path("choices").path(0).path("delta");
                String text = delta.path("content").isTextual() ? delta.get("content").asText() : "";
                if (!text.isEmpty()) {
                    state.text.append(text);
                    state.forwarded = true;
                    onText.accept(text);
                }
                if (delta.path("tool_calls").isArray()) {
                    toolCalls.add(delta.get("tool_calls"));
                }
                JsonNode usage = chunk.path("usage");
                if (usage.isObject()) {
                    promptTokens = usage.path("prompt_tokens").asInt(promptTokens);
                    completionTokens = usage.path("completion_tokens").asInt(completionTokens);
                }
            }
            return Optional.empty();
        } catch (IOException | UncheckedIOException e) {
            if (cancellation.isCancelled()) {
                throw new LlmCancelled(state.text.toString());
            }
            state.timedOut = isTimeout(e);
            return Optional.empty();
        } finally {
            cancellation.doneBlocking();
        }
    }

    /**
     * Reads past {@code [DONE]} to the end of the body, which the proxy ends right after it: only a response read
     * to its end hands its connection back to the pool; closing it earlier closes the connection.
     */
    private static void readToEnd(BufferedReader reader) {
        try {
            reader.transferTo(Writer.nullWriter());
        } catch (IOException e) {
            // the answer is complete; the connection is just not reused
        }
    }

    private long backoff(int attempt, Optional<Long> retryAfterMs) {
        if (retryAfterMs.isPresent()) {
            return Math.min(retryAfterMs.get(), MAX_RETRY_AFTER_MS);
        }
        long exponential = Math.min(settings.llmRetryMaxMs(), settings.llmRetryBaseMs() << Math.min(attempt, 20));
        return exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
    }

    private Retry timeout() {
        return new Retry("no answer from the LLM proxy within " + settings.llmTimeout().toSeconds() + " s",
                Optional.empty(), true, true);
    }

    /** A read that waited {@code llm-timeout-seconds} in vain (the cause may be wrapped by the reader). */
    private static boolean isTimeout(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static final class StreamState {
        private final StringBuilder text = new StringBuilder();
        private boolean forwarded;
        private boolean timedOut;
    }

    private record Retry(String message, Optional<Long> retryAfterMs, boolean retryable, boolean timeout) {

        Retry(String message, Optional<Long> retryAfterMs) {
            this(message, retryAfterMs, true, false);
        }

        /**
         * A failed status (the caller closes the response unread, so its connection is not reused); 504 is the
         * proxy's {@code timeout}: its provider sent no first token or no next chunk in time.
         */
        static Retry ofStatus(HttpClientResponse response) {
            int status = response.status().code();
            boolean retryable = status == 408 || status == 429 || status >= 500;
            Optional<Long> after = response.headers().first(HeaderNames.RETRY_AFTER).flatMap(Retry::seconds)
                    .map(s -> s * 1000);
            return new Retry("the LLM proxy answered HTTP " + status, after, retryable, status == 504);
        }

        private static Optional<Long> seconds(String value) {
            try {
                return Optional.of(Long.parseLong(value.strip()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }
}
