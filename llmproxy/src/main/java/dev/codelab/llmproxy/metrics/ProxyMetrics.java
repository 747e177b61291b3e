package dev.codelab.llmproxy.metrics;

import dev.codelab.llmproxy.provider.Usage;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.DistributionSummary;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The proxy's meters, by model alias and provider: requests, errors by type, latency, time to first token,
 * tokens in and out, and cost in US dollars. Served by Helidon at {@code /observe/metrics}.
 *
 * <p>Each meter is looked up in the registry once per label set and then kept: a registry lookup builds the
 * meter's id and takes the registry's lock, which every request would otherwise pay several times.
 */
public final class ProxyMetrics {

    /** Histogram buckets for answer latency and time to first token, from a fast cached reply to a long agent step. */
    private static final Duration[] BUCKETS = Stream.of(
                    50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 120_000)
            .map(Duration::ofMillis)
            .toArray(Duration[]::new);

    private final MeterRegistry registry;
    private final Map<Labels, Counter> requests = new ConcurrentHashMap<>();
    private final Map<Labels, Counter> errors = new ConcurrentHashMap<>();
    private final Map<Labels, Answers> answers = new ConcurrentHashMap<>();
    private final Map<Labels, Timer> firstTokens = new ConcurrentHashMap<>();

    public ProxyMetrics() {
        this.registry = Metrics.globalRegistry();
    }

    public void request(String model, boolean stream) {
        requests.computeIfAbsent(
                        new Labels(model, String.valueOf(stream)),
                        labels -> registry.getOrCreate(Counter.builder("llmproxy.requests")
                                .description("Chat completion requests")
                                .tags(List.of(Tag.create("model", model), Tag.create("stream", labels.second())))))
                .increment();
    }

    public void error(String model, String type) {
        errors.computeIfAbsent(
                        new Labels(model, type),
                        labels -> registry.getOrCreate(Counter.builder("llmproxy.errors")
                                .description("Failed chat completion requests by error type")
                                .tags(List.of(Tag.create("model", model), Tag.create("type", type)))))
                .increment();
    }

    /** A served answer: its latency, time to first chunk (streams), tokens and cost. */
    public void served(
            String model, String provider, Duration latency, Duration firstChunk, Usage usage, double costUsd) {
        Labels labels = new Labels(model, provider);
        Answers meters = answers.computeIfAbsent(labels, this::answers);
        meters.latency().record(latency);
        if (firstChunk != null) {
            firstTokens
                    .computeIfAbsent(
                            labels,
                            l -> registry.getOrCreate(Timer.builder("llmproxy.time_to_first_token")
                                    .description("Time to the first streamed chunk")
                                    .buckets(BUCKETS)
                                    .tags(tags(l))))
                    .record(firstChunk);
        }
        meters.tokensIn().increment(usage.promptTokens());
        meters.tokensOut().increment(usage.completionTokens());
        meters.cost().record(costUsd);
    }

    private Answers answers(Labels labels) {
        List<Tag> tags = tags(labels);
        return new Answers(
                registry.getOrCreate(Timer.builder("llmproxy.latency")
                        .description("Time to the complete answer")
                        .buckets(BUCKETS)
                        .tags(tags)),
                tokens(tags, "in"),
                tokens(tags, "out"),
                registry.getOrCreate(DistributionSummary.builder("llmproxy.cost_usd")
                        .description("Cost of answers in US dollars")
                        .tags(tags)));
    }

    private Counter tokens(List<Tag> tags, String direction) {
        return registry.getOrCreate(Counter.builder("llmproxy.tokens")
                .description("Tokens by direction")
                .tags(List.of(tags.get(0), tags.get(1), Tag.create("direction", direction))));
    }

    private static List<Tag> tags(Labels modelAndProvider) {
        return List.of(
                Tag.create("model", modelAndProvider.first()), Tag.create("provider", modelAndProvider.second()));
    }

    /** The two label values that tell one meter of a name from another. */
    private record Labels(String first, String second) {}

    /** The meters of the answers of one model from one provider. */
    private record Answers(Timer latency, Counter tokensIn, Counter tokensOut, DistributionSummary cost) {}
}
