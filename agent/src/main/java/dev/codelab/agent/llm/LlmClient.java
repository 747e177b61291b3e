package dev.codelab.agent.llm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.agent.AgentSettings;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.sse.SseEventReader;

/**
 * Calls the LLM proxy's {@code /v1/chat/completions} (OpenAI format). Streams are read line by line and each
 * text delta is handed on at once; tool-call deltas are joined by index. Transport errors, 408, 429 and 5xx are
 * retried with exponential back-off and jitter ({@code Retry-After} honoured), but only while nothing has been
 * handed on: after the first forwarded delta a failure is final.
 */
public final class LlmClient {

    private static final System.Logger LOG = System.getLogger(LlmClient.class.getName());
    private static final long MAX_RETRY_AFTER_MS = 60_000;

    private final HttpClient http;
    private final URI endpoint;
    private final AgentSettings settings;

    public LlmClient(AgentSettings settings) {
        this.settings = settings;
        this.endpoint = URI.create(settings.llmProxyUrl() + "/v1/chat/completions");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.llmConnectTimeout())
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
        HttpRequest request = request(body, requestId, "text/event-stream");
        StreamState state = new StreamState();
        for (int attempt = 0; ; attempt++) {
            if (cancellation.isCancelled()) {
                throw new LlmCancelled(state.text.toString());
            }
            Retry retry;
            try {
                HttpResponse<InputStream> response = awaitHeaders(request, cancellation);
                if (response.statusCode() == 200) {
                    Optional<Completion> done = readStream(response.body(), state, onText, cancellation);
                    if (done.isPresent()) {
                        return done.get();
                    }
                    retry = new Retry("the LLM stream ended before [DONE]", Optional.empty());
                } else {
                    retry = failedStatus(response);
                }
            } catch (IOException | UncheckedIOException e) {
                retry = new Retry("cannot reach the LLM proxy: " + e.getMessage(), Optional.empty());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LlmCancelled(state.text.toString());
            } catch (CancellationException e) {
                throw new LlmCancelled(state.text.toString());
            }
            if (cancellation.isCancelled()) {
                throw new LlmCancelled(state.text.toString());
            }
            if (state.forwarded || !retry.retryable() || attempt >= settings.llmMaxRetries()) {
                throw new LlmFailure(retry.message(), state.text.toString());
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
        HttpRequest request = request(body, requestId, "application/json");
        for (int attempt = 0; ; attempt++) {
            Retry retry;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    JsonNode content = Json.read(response.body()).path("choices").path(0).path("message").path("content");
                    if (content.isTextual()) {
                        return content.asText();
                    }
                    throw new LlmFailure("the LLM answer has no message content", "");
                }
                retry = Retry.ofStatus(response.statusCode(), response.headers().firstValue("Retry-After"));
            } catch (IOException e) {
                retry = new Retry("cannot reach the LLM proxy: " + e.getMessage(), Optional.empty());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LlmFailure("interrupted", "");
            }
            if (!retry.retryable() || attempt >= settings.llmMaxRetries()
                    || cancellation.sleep(backoff(attempt, retry.retryAfterMs()))) {
                throw new LlmFailure(retry.message(), "");
            }
        }
    }

    /** Whether the proxy answers its health check, for readiness. */
    public boolean isReachable() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.llmProxyUrl() + "/health"))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Aborts what is still in flight (the server has stopped) and releases the client. */
    public void close() {
        http.shutdownNow();
    }

    private HttpRequest request(ObjectNode body, String requestId, String accept) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint)
                .timeout(settings.llmTimeout())
                .header("Content-Type", "application/json")
                .header("Accept", accept)
                .header("X-Internal-Auth", settings.internalApiKey())
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
        if (requestId != null) {
            builder.header("X-Request-Id", requestId);
        }
        return builder.build();
    }

    /** Sends the request; a cancellation aborts it even while the proxy has not answered yet. */
    private HttpResponse<InputStream> awaitHeaders(HttpRequest request, Cancellation cancellation)
            throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<InputStream>> response =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        cancellation.reading(() -> response.cancel(true));
        try {
            return response.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } finally {
            cancellation.doneReading();
        }
    }

    /** Reads one stream; empty when it broke off before {@code [DONE]} (retryable if nothing was forwarded). */
    private Optional<Completion> readStream(InputStream body, StreamState state, Consumer<String> onText,
                                            Cancellation cancellation) {
        cancellation.reading(body);
        ToolCallDeltas toolCalls = new ToolCallDeltas();
        int promptTokens = 0;
        int completionTokens = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            Iterator<SseEventReader.SseEvent> events = new SseEventReader(reader.lines().iterator()).iterator();
            while (events.hasNext()) {
                String data = events.next().data();
                if (data.strip().equals("[DONE]")) {
                    return Optional.of(new Completion(state.text.toString(), toolCalls.calls(), promptTokens,
                            completionTokens));
                }
                JsonNode chunk = Json.read(data);
                if (chunk.has("error")) {
                    LOG.log(System.Logger.Level.WARNING, "LLM stream error: " + chunk.get("error"));
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
            return Optional.empty();
        } finally {
            cancellation.doneReading();
        }
    }

    private static Retry failedStatus(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            body.readNBytes(4096);
        } catch (IOException ignored) {
            // the status alone decides
        }
        return Retry.ofStatus(response.statusCode(), response.headers().firstValue("Retry-After"));
    }

    private long backoff(int attempt, Optional<Long> retryAfterMs) {
        if (retryAfterMs.isPresent()) {
            return Math.min(retryAfterMs.get(), MAX_RETRY_AFTER_MS);
        }
        long exponential = Math.min(settings.llmRetryMaxMs(), settings.llmRetryBaseMs() << Math.min(attempt, 20));
        return exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
    }

    private static final class StreamState {
        private final StringBuilder text = new StringBuilder();
        private boolean forwarded;
    }

    private record Retry(String message, Optional<Long> retryAfterMs, boolean retryable) {

        Retry(String message, Optional<Long> retryAfterMs) {
            this(message, retryAfterMs, true);
        }

        static Retry ofStatus(int status, Optional<String> retryAfter) {
            boolean retryable = status == 408 || status == 429 || status >= 500;
            Optional<Long> after = retryAfter.flatMap(Retry::seconds).map(s -> s * 1000);
            return new Retry("the LLM proxy answered HTTP " + status, after, retryable);
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
