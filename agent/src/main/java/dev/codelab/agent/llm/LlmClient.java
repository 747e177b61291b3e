package dev.codelab.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.agent.AgentSettings;
import dev.codelab.shared.hop.HopClient;
import dev.codelab.shared.hop.HopException;
import dev.codelab.shared.hop.HopResponse;
import dev.codelab.shared.http.InternalAuthFilter;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.retry.Backoff;
import dev.codelab.shared.sse.SseEventReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Calls the LLM proxy's {@code /v1/chat/completions} (OpenAI format). Streams are read line by line and each
 * text delta is handed on at once; tool-call deltas are joined by index. Transport errors, 408, 429 and 5xx are
 * retried with exponential back-off and jitter ({@code Retry-After} honoured), but only while nothing has been
 * handed on: after the first forwarded delta a failure is final.
 *
 * <p>The JDK client of {@link HopClient}: the turn's own virtual thread waits for the headers and then reads the
 * body line by line, so each delta goes from the stream to {@code onText} on that thread. {@code llm-timeout}
 * bounds the wait for the headers and every read of the body (llmproxy writes a keep-alive comment every 15 s,
 * so only a dead proxy stays silent that long).
 */
public final class LlmClient {

    private static final System.Logger LOG = System.getLogger(LlmClient.class.getName());
    private static final Duration READINESS_TIMEOUT = Duration.ofSeconds(2);
    private static final String STREAM_BROKE_OFF = "the LLM stream ended before [DONE]";

    private final HopClient http;
    private final URI endpoint;
    private final URI health;
    private final URI models;
    private final AgentSettings settings;
    private final Backoff backoff;

    public LlmClient(AgentSettings settings) {
        this.settings = settings;
        // A user watches the turn: never retry at once (equal jitter), and wait at most a minute even when the
        // proxy asks for more.
        this.backoff = new Backoff(
                Duration.ofMillis(settings.llmRetryBaseMs()),
                Duration.ofMillis(settings.llmRetryMaxMs()),
                Backoff.Jitter.EQUAL,
                Duration.ofSeconds(60));
        this.endpoint = URI.create(settings.llmProxyUrl() + "/v1/chat/completions");
        this.health = URI.create(settings.llmProxyUrl() + "/health");
        this.models = URI.create(settings.llmProxyUrl() + "/v1/models");
        this.http = new HopClient("llmproxy", settings.llmConnectTimeout());
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
     * @throws LlmFailure     when the call failed for good
     * @throws LlmCancelled   when {@code cancellation} fired during the call
     * @throws BudgetExceeded when the user's budget is used up
     */
    public LlmCompletion stream(ObjectNode body, LlmCall call, Consumer<String> onText, Cancellation cancellation) {
        String requestId = call.requestId();
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        String entity = Json.write(body);
        StreamState state = new StreamState();
        for (int attempt = 0; ; attempt++) {
            if (cancellation.isCancelled()) {
                throw new LlmCancelled(state.text.toString());
            }
            Retry retry;
            try (HopResponse response =
                    awaitHeaders(request(entity, "text/event-stream", call), requestId, cancellation)) {
                if (response.status() == 200) {
                    try {
                        Optional<LlmCompletion> done = readStream(response, state, onText, cancellation);
                        if (done.isPresent()) {
                            return done.get();
                        }
                        // the proxy's error event with code timeout: its provider went silent
                        retry = state.timedOut ? timeout(null) : new Retry(STREAM_BROKE_OFF, OptionalLong.empty());
                    } catch (HopException e) {
                        retry = transportFailure(STREAM_BROKE_OFF, e);
                    }
                } else {
                    BudgetExceeded.throwIfRefused(response);
                    retry = Retry.ofStatus(response);
                }
            } catch (HopException e) {
                retry = transportFailure("cannot reach the LLM proxy: " + e.reason(), e);
            }
            if (cancellation.isCancelled()) {
                throw new LlmCancelled(state.text.toString());
            }
            if (state.forwarded || !retry.retryable() || attempt >= settings.llmMaxRetries()) {
                throw retry.failure(state.text.toString());
            }
            LOG.log(System.Logger.Level.WARNING, "LLM call failed (" + retry.message() + "), retrying");
            if (cancellation.sleep(backoffMillis(attempt, retry))) {
                throw new LlmCancelled(state.text.toString());
            }
        }
    }

    /**
     * A non-streaming completion with {@code response_format: json_object}; returns the message content.
     *
     * @throws LlmFailure     when the call failed for good
     * @throws BudgetExceeded when the user's budget is used up
     */
    public String completeJson(ObjectNode body, LlmCall call, Cancellation cancellation) {
        body.putObject("response_format").put("type", "json_object");
        return complete(body, call, cancellation).text();
    }

    /**
     * A non-streaming completion (retried like a stream that forwarded nothing); its text and the usage the proxy
     * reported.
     *
     * @throws LlmFailure     when the call failed for good
     * @throws BudgetExceeded when the user's budget is used up
     */
    public LlmCompletion complete(ObjectNode body, LlmCall call, Cancellation cancellation) {
        String entity = Json.write(body);
        for (int attempt = 0; ; attempt++) {
            Retry retry;
            try (HopResponse response =
                    http.exchange(request(entity, "application/json", call), settings.llmTimeout(), call.requestId())) {
                if (response.status() == 200) {
                    JsonNode answer = Json.read(response.text());
                    JsonNode content =
                            answer.path("choices").path(0).path("message").path("content");
                    if (content.isTextual()) {
                        JsonNode usage = answer.path("usage");
                        return new LlmCompletion(
                                content.asText(),
                                List.of(),
                                usage.path("prompt_tokens").asInt(0),
                                usage.path("completion_tokens").asInt(0));
                    }
                    throw new LlmFailure("the LLM answer has no message content", "", false);
                }
                BudgetExceeded.throwIfRefused(response);
                retry = Retry.ofStatus(response);
            } catch (HopException e) {
                retry = transportFailure("cannot reach the LLM proxy: " + e.reason(), e);
            } catch (IOException e) {
                retry = new Retry("the LLM answer is not JSON: " + e.getMessage(), OptionalLong.empty());
            }
            if (!retry.retryable()
                    || attempt >= settings.llmMaxRetries()
                    || cancellation.sleep(backoffMillis(attempt, retry))) {
                throw retry.failure("");
            }
        }
    }

    /** The proxy's model list ({@code GET /v1/models}); empty when it cannot be had now. */
    public Optional<JsonNode> models() {
        HttpRequest.Builder request = HttpRequest.newBuilder(models)
                .header(InternalAuthFilter.HEADER.defaultCase(), settings.internalApiKey())
                .GET();
        try (HopResponse response = http.exchange(request, READINESS_TIMEOUT, null)) {
            return response.status() == 200 ? Optional.of(Json.read(response.text())) : Optional.empty();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot read the LLM proxy's model list: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Whether the proxy answers its health check, for readiness. */
    public boolean isReachable() {
        try (HopResponse response = http.exchange(HttpRequest.newBuilder(health), READINESS_TIMEOUT, null)) {
            return response.status() == 200;
        } catch (HopException e) {
            return false;
        }
    }

    /** Aborts the calls still in flight (the server is stopping) and closes the kept-alive connections. */
    public void close() {
        http.close();
    }

    private HttpRequest.Builder request(String entity, String accept, LlmCall call) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json")
                .header("Accept", accept)
                .header(InternalAuthFilter.HEADER.defaultCase(), settings.internalApiKey())
                .POST(HttpRequest.BodyPublishers.ofString(entity));
        call.addHeaders(request);
        return request;
    }

    /**
     * Sends the request and waits for the response headers; a cancel interrupts the wait even while the proxy has
     * not answered yet (the JDK client then abandons the exchange, this fails, and the caller sees the cancellation).
     */
    private HopResponse awaitHeaders(HttpRequest.Builder request, String requestId, Cancellation cancellation)
            throws HopException {
        if (!cancellation.interruptOnCancel()) {
            throw new LlmCancelled("");
        }
        try {
            return http.exchange(request, settings.llmTimeout(), requestId);
        } finally {
            cancellation.doneBlocking();
        }
    }

    /**
     * Reads one stream; empty when it ended before {@code [DONE]} or with an error chunk (retryable if nothing was
     * forwarded).
     *
     * @throws HopException when reading failed (a timeout, a broken connection)
     */
    private Optional<LlmCompletion> readStream(
            HopResponse response, StreamState state, Consumer<String> onText, Cancellation cancellation)
            throws HopException {
        if (!cancellation.abortOnCancel(response::close)) {
            throw new LlmCancelled(state.text.toString());
        }
        try {
            return readEvents(response.reader(), state, onText);
        } catch (UncheckedIOException e) {
            if (cancellation.isCancelled()) {
                throw new LlmCancelled(state.text.toString());
            }
            if (e.getCause() instanceof HopException failure) {
                throw failure;
            }
            throw e;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "LLM stream chunk is not JSON: " + e.getMessage());
            return Optional.empty();
        } finally {
            cancellation.doneBlocking();
        }
    }

    private static Optional<LlmCompletion> readEvents(BufferedReader reader, StreamState state, Consumer<String> onText)
            throws IOException {
        Attempt attempt = new Attempt();
        Iterator<SseEventReader.SseEvent> events =
                new SseEventReader(reader.lines().iterator()).iterator();
        while (events.hasNext()) {
            String data = events.next().data();
            if (data.strip().equals("[DONE]")) {
                readToEnd(reader);
                return Optional.of(new LlmCompletion(
                        state.text.toString(),
                        attempt.toolCalls.calls(),
                        attempt.promptTokens,
                        attempt.completionTokens));
            }
            JsonNode chunk = Json.read(data);
            if (chunk.has("error")) {
                LOG.log(System.Logger.Level.WARNING, "LLM stream error: " + chunk.get("error"));
                state.timedOut = chunk.path("error").path("code").asText().equals("timeout");
                return Optional.empty();
            }
            read(chunk, state, attempt, onText);
        }
        return Optional.empty();
    }

    /** Takes in one chunk of the stream: its text is handed on at once, its tool-call deltas and usage kept. */
    private static void read(JsonNode chunk, StreamState state, Attempt attempt, Consumer<String> onText) {
        JsonNode delta = chunk.path("choices").path(0).path("delta");
        String text = delta.path("content").isTextual() ? delta.get("content").asText() : "";
        if (!text.isEmpty()) {
            state.text.append(text);
            state.forwarded = true;
            onText.accept(text);
        }
        if (delta.path("tool_calls").isArray()) {
            attempt.toolCalls.add(delta.get("tool_calls"));
        }
        JsonNode usage = chunk.path("usage");
        if (usage.isObject()) {
            attempt.promptTokens = usage.path("prompt_tokens").asInt(attempt.promptTokens);
            attempt.completionTokens = usage.path("completion_tokens").asInt(attempt.completionTokens);
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

    private long backoffMillis(int attempt, Retry retry) {
        return backoff.delay(attempt, retry.retryAfterSeconds()).toMillis();
    }

    /** A transport failure; a timeout says how long the proxy stayed silent. */
    private Retry transportFailure(String message, HopException cause) {
        return cause.isTimeout() ? timeout(cause) : new Retry(message, OptionalLong.empty(), true, false, cause);
    }

    private Retry timeout(HopException cause) {
        return new Retry(
                "no answer from the LLM proxy within " + settings.llmTimeout().toSeconds() + " s",
                OptionalLong.empty(),
                true,
                true,
                cause);
    }

    /** What one attempt's stream brought besides the text: a retry starts these afresh. */
    private static final class Attempt {
        private final ToolCallDeltas toolCalls = new ToolCallDeltas();
        private int promptTokens;
        private int completionTokens;
    }

    /** The text handed on over all attempts (a retry happens only while nothing was), and how the last ended. */
    private static final class StreamState {
        private final StringBuilder text = new StringBuilder();
        private boolean forwarded;
        private boolean timedOut;
    }

    /**
     * Why an attempt failed and whether to try again.
     *
     * @param timeout whether it was a timeout: the proxy's answer (its headers or its next line) did not come
     *                within {@code llm-timeout-seconds}, or the proxy reports its provider's ({@code 504}, an error
     *                event with code {@code timeout})
     * @param cause   the transport failure behind it, if any: kept as the {@link LlmFailure}'s cause, whose stack
     *                trace then names the request
     */
    private record Retry(
            String message, OptionalLong retryAfterSeconds, boolean retryable, boolean timeout, HopException cause) {

        Retry(String message, OptionalLong retryAfterSeconds) {
            this(message, retryAfterSeconds, true, false, null);
        }

        /**
         * A failed status (the caller closes the response unread, so its connection is not reused); 504 is the
         * proxy's {@code timeout}: its provider sent no first token or no next chunk in time.
         */
        static Retry ofStatus(HopResponse response) {
            int status = response.status();
            boolean retryable = status == 408 || status == 429 || status >= 500;
            OptionalLong after =
                    response.header("Retry-After").map(Retry::seconds).orElse(OptionalLong.empty());
            return new Retry("the LLM proxy answered HTTP " + status, after, retryable, status == 504, null);
        }

        LlmFailure failure(String partialText) {
            return new LlmFailure(message, partialText, timeout, cause);
        }

        private static OptionalLong seconds(String value) {
            try {
                return OptionalLong.of(Long.parseLong(value.strip()));
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }
    }
}
