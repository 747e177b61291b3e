package dev.codelab.llmproxy.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.llmproxy.metrics.ProxyMetrics;
import dev.codelab.llmproxy.provider.ChatCompletion;
import dev.codelab.llmproxy.provider.ProviderRequest;
import dev.codelab.llmproxy.provider.UpstreamGuard;
import dev.codelab.llmproxy.provider.Usage;
import dev.codelab.llmproxy.registry.ModelEntry;
import dev.codelab.llmproxy.registry.ModelRegistry;
import dev.codelab.llmproxy.routing.DeploymentRouter;
import dev.codelab.llmproxy.routing.PromptEstimate;
import dev.codelab.llmproxy.stream.CallerGoneException;
import dev.codelab.llmproxy.stream.CallerStream;
import dev.codelab.llmproxy.usage.CallTags;
import dev.codelab.llmproxy.usage.Metering;
import dev.codelab.llmproxy.usage.UsageRecord;
import dev.codelab.shared.http.RequestLog;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;

/**
 * {@code POST /v1/chat/completions}: OpenAI chat completions, streamed or not, served through the
 * {@link DeploymentRouter}.
 */
public final class ChatCompletionsHandler implements Handler {

    private static final System.Logger LOG = System.getLogger(ChatCompletionsHandler.class.getName());
    /** The model label of requests refused before a model was resolved (callers' strings would flood the labels). */
    private static final String UNRESOLVED_MODEL = "-";

    private final ModelRegistry registry;
    private final String defaultModel;
    private final DeploymentRouter router;
    private final ProxyMetrics metrics;
    private final Metering metering;
    private final Semaphore slots;
    private final Limits limits;

    public ChatCompletionsHandler(
            ModelRegistry registry,
            String defaultModel,
            DeploymentRouter router,
            ProxyMetrics metrics,
            Metering metering,
            Limits limits) {
        this.registry = registry;
        this.defaultModel = defaultModel;
        this.router = router;
        this.metrics = metrics;
        this.metering = metering;
        this.limits = limits;
        this.slots = new Semaphore(limits.maxConcurrentRequests());
    }

    /**
     * @param maxConcurrentRequests upstream calls in flight at once; beyond that 429
     * @param maxBodyBytes          larger request bodies get 413
     * @param keepAlive             silence after which a {@code : keep-alive} comment is written
     * @param gapTimeout            longest silence between two chunks of a provider stream
     */
    public record Limits(int maxConcurrentRequests, long maxBodyBytes, Duration keepAlive, Duration gapTimeout) {}

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        ModelEntry model;
        ObjectNode body;
        try {
            body = ChatRequests.read(req, limits.maxBodyBytes());
            ChatRequests.validate(body);
            String alias = body.path("model").asText("").isBlank()
                    ? defaultModel
                    : body.get("model").asText();
            model = registry.find(alias).orElseThrow(() -> OpenAiException.modelNotFound(alias));
        } catch (OpenAiException e) {
            metrics.error(UNRESOLVED_MODEL, e.code());
            throw e;
        }
        body.put("model", model.alias());
        boolean stream = body.path("stream").asBoolean(false);
        metrics.request(model.alias(), stream);
        CallTags tags = CallTags.of(req);
        try {
            metering.admit(tags);
        } catch (OpenAiException e) {
            metrics.error(model.alias(), e.code());
            throw e;
        }
        if (!slots.tryAcquire()) {
            metrics.error(model.alias(), "rate_limit_exceeded");
            throw OpenAiException.busy(1);
        }
        Call call = new Call(model, tags, RequestLog.idOf(req), System.nanoTime());
        try {
            if (stream) {
                stream(body, call, res);
            } else {
                complete(body, call, res);
            }
        } catch (OpenAiException e) {
            metrics.error(model.alias(), e.code());
            call.failed(e.code(), Usage.NONE);
            throw e;
        } finally {
            slots.release();
        }
    }

    private void complete(ObjectNode body, Call call, ServerResponse res) {
        DeploymentRouter.Served<ChatCompletion> served = call.route(
                PromptEstimate.of(body),
                (entry, provider, deployment) ->
                        provider.complete(new ProviderRequest(body, deployment, UpstreamGuard.NONE, call.requestId())),
                () -> false);
        call.served(served, null, Usage.fromOpenAi(served.value().json().get("usage")));
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(served.value().bytes());
    }

    private void stream(ObjectNode body, Call call, ServerResponse res) {
        boolean includeUsage = body.path("stream_options").path("include_usage").asBoolean(false);
        try (CallerStream out = new CallerStream(res, includeUsage, limits.keepAlive(), limits.gapTimeout())) {
            try {
                DeploymentRouter.Served<Void> served = call.route(
                        PromptEstimate.of(body),
                        (entry, provider, deployment) -> {
                            provider.stream(new ProviderRequest(body, deployment, out.guard(), call.requestId()), out);
                            return null;
                        },
                        () -> out.dataSent() || out.callerGone());
                out.done();
                call.served(served, out.timeToFirstChunk().orElse(null), out.usage());
            } catch (OpenAiException e) {
                if (out.callerGone()) {
                    throw new CallerGoneException(e);
                }
                if (out.endIfUncommitted()) {
                    throw e;
                }
                metrics.error(call.model().alias(), e.code());
                call.failed(e.code(), out.usage());
                out.error(e.body());
            }
        } catch (CallerGoneException e) {
            metrics.error(call.model().alias(), "caller_gone");
            call.failed("cancelled", Usage.NONE);
            LOG.log(
                    Level.DEBUG,
                    "Caller left during the stream of " + call.model().alias());
        }
    }

    /** One served request: routed, then metered (and counted in the metrics) once, when it ended. */
    private final class Call {

        private final ModelEntry model;
        private final CallTags tags;
        private final String requestId;
        private final long startNanos;
        private DeploymentRouter.Served<?> served;

        Call(ModelEntry model, CallTags tags, String requestId, long startNanos) {
            this.model = model;
            this.tags = tags;
            this.requestId = requestId;
            this.startNanos = startNanos;
        }

        ModelEntry model() {
            return model;
        }

        String requestId() {
            return requestId;
        }

        <T> DeploymentRouter.Served<T> route(
                int promptTokens, DeploymentRouter.Attempt<T> attempt, java.util.function.BooleanSupplier committed) {
            DeploymentRouter.Served<T> answer = router.route(model, promptTokens, attempt, committed);
            served = answer;
            return answer;
        }

        void served(DeploymentRouter.Served<?> answer, Duration firstChunk, Usage usage) {
            Duration latency = Duration.ofNanos(System.nanoTime() - startNanos);
            double cost = answer.entry().price().cost(usage);
            metrics.served(answer.entry().alias(), answer.deployment().provider(), latency, firstChunk, usage, cost);
            meter(answer, latency, usage, cost, "ok");
        }

        /** A call that failed or was left: metered with what the provider reported before (usually nothing). */
        void failed(String outcome, Usage usage) {
            Duration latency = Duration.ofNanos(System.nanoTime() - startNanos);
            meter(
                    served,
                    latency,
                    usage,
                    served == null ? 0 : served.entry().price().cost(usage),
                    outcome);
        }

        private void meter(
                DeploymentRouter.Served<?> answer, Duration latency, Usage usage, double cost, String outcome) {
            metering.record(new UsageRecord(
                    Instant.now(),
                    tags,
                    model.alias(),
                    answer == null ? "-" : answer.deployment().id(),
                    usage,
                    cost,
                    latency.toMillis(),
                    outcome));
        }
    }
}
