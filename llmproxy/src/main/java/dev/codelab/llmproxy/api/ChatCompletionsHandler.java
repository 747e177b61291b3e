package dev.codelab.llmproxy.api;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Semaphore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.llmproxy.metrics.ProxyMetrics;
import dev.codelab.llmproxy.provider.Completion;
import dev.codelab.llmproxy.provider.ProviderRequest;
import dev.codelab.llmproxy.provider.UpstreamGuard;
import dev.codelab.llmproxy.provider.Usage;
import dev.codelab.llmproxy.registry.ModelEntry;
import dev.codelab.llmproxy.registry.ModelRegistry;
import dev.codelab.llmproxy.routing.PromptEstimate;
import dev.codelab.llmproxy.routing.Router;
import dev.codelab.llmproxy.stream.CallerGoneException;
import dev.codelab.llmproxy.stream.CallerStream;
import dev.codelab.shared.http.RequestLog;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code POST /v1/chat/completions}: OpenAI chat completions, streamed or not, served through the {@link Router}. */
public final class ChatCompletionsHandler implements Handler {

    private static final System.Logger LOG = System.getLogger(ChatCompletionsHandler.class.getName());
    /** The model label of requests refused before a model was resolved (callers' strings would flood the labels). */
    private static final String UNRESOLVED_MODEL = "-";

    private final ModelRegistry registry;
    private final String defaultModel;
    private final Router router;
    private final ProxyMetrics metrics;
    private final Semaphore slots;
    private final Limits limits;

    public ChatCompletionsHandler(ModelRegistry registry, String defaultModel, Router router, ProxyMetrics metrics, Limits limits) {
        this.registry = registry;
        this.defaultModel = defaultModel;
        this.router = router;
        this.metrics = metrics;
        this.limits = limits;
        this.slots = new Semaphore(limits.maxConcurrentRequests());
    }

    /**
     * @param maxConcurrentRequests upstream calls in flight at once; beyond that 429
     * @param maxBodyBytes          larger request bodies get 413
     * @param keepAlive             silence after which a {@code : keep-alive} comment is written
     * @param gapTimeout            longest silence between two chunks of a provider stream
     */
    public record Limits(int maxConcurrentRequests, long maxBodyBytes, Duration keepAlive, Duration gapTimeout) {
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        ModelEntry model;
        ObjectNode body;
        try {
            body = ChatRequests.read(req, limits.maxBodyBytes());
            ChatRequests.validate(body);
            String alias = body.path("model").asText("").isBlank() ? defaultModel : body.get("model").asText();
            model = registry.find(alias).orElseThrow(() -> OpenAiException.modelNotFound(alias));
        } catch (OpenAiException e) {
            metrics.error(UNRESOLVED_MODEL, e.code());
            throw e;
        }
        body.put("model", model.alias());
        boolean stream = body.path("stream").asBoolean(false);
        metrics.request(model.alias(), stream);
        if (!slots.tryAcquire()) {
            metrics.error(model.alias(), "rate_limit_exceeded");
            throw OpenAiException.busy(1);
        }
        try {
            if (stream) {
                stream(body, model, RequestLog.idOf(req), res);
            } else {
                complete(body, model, RequestLog.idOf(req), res);
            }
        } catch (OpenAiException e) {
            metrics.error(model.alias(), e.code());
            throw e;
        } finally {
            slots.release();
        }
    }

    private void complete(ObjectNode body, ModelEntry model, String requestId, ServerResponse res) {
        long start = System.nanoTime();
        Router.Served<Completion> served = router.route(model, PromptEstimate.of(body),
                (entry, provider, deployment) -> provider.complete(new ProviderRequest(body, deployment, UpstreamGuard.NONE, requestId)),
                () -> false);
        Usage usage = Usage.fromOpenAi(served.value().json().get("usage"));
        record(served, Duration.ofNanos(System.nanoTime() - start), null, usage);
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(served.value().bytes());
    }

    private void stream(ObjectNode body, ModelEntry model, String requestId, ServerResponse res) {
        long start = System.nanoTime();
        boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        try (CallerStream out = new CallerStream(res, includeUsage, limits.keepAlive(), limits.gapTimeout())) {
            try {
                Router.Served<Void> served = router.route(model, PromptEstimate.of(body), (entry, provider, deployment) -> {
                    provider.stream(new ProviderRequest(body, deployment, out.guard(), requestId), out);
                    return null;
                }, () -> out.dataSent() || out.callerGone());
                out.done();
                record(served, Duration.ofNanos(System.nanoTime() - start), out.timeToFirstChunk().orElse(null), out.usage());
            } catch (OpenAiException e) {
                if (out.callerGone()) {
                    throw new CallerGoneException(e);
                }
                if (out.endIfUncommitted()) {
                    throw e;
                }
                metrics.error(model.alias(), e.code());
                out.error(e.body());
            }
        } catch (CallerGoneException e) {
            metrics.error(model.alias(), "caller_gone");
            LOG.log(Level.DEBUG, "Caller left during the stream of " + model.alias());
        }
    }

    private void record(Router.Served<?> served, Duration latency, Duration firstChunk, Usage usage) {
        double cost = served.entry().price().cost(usage.promptTokens(), usage.completionTokens());
        metrics.served(served.entry().alias(), served.deployment().provider(), latency, firstChunk, usage, cost);
    }
}
