package dev.codelab.llmproxy.metrics;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import dev.codelab.llmproxy.provider.Usage;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.DistributionSummary;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

/**
 * The proxy's meters, by model alias and provider: requests, errors by type, latency, time to first token,
 * tokens in and out, and cost in US dollars. Served by Helidon at {@code /observe/metrics}.
 */
public final class ProxyMetrics {

    /** Histogram buckets for answer latency and time to first token, from a fast cached reply to a long agent step. */
    private static final Duration[] BUCKETS = Stream.of(50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 120_000)
            .map(Duration::ofMillis).toArray(Duration[]::new);

    private final MeterRegistry registry;

    public ProxyMetrics() {
        this.registry = Metrics.globalRegistry();
    }

    public void request(String model, boolean stream) {
        registry.getOrCreate(Counter.builder("llmproxy.requests")
                .description("Chat completion requests").tags(List.of(Tag.create("model", model), Tag.create("stream", String.valueOf(stream)))))
                .increment();
    }

    public void error(String model, String type) {
        registry.getOrCreate(Counter.builder("llmproxy.errors")
                .description("Failed chat completion requests by error type")
                .tags(List.of(Tag.create("model", model), Tag.create("type", type)))).increment();
    }

    /** A served answer: its latency, time to first chunk (streams), tokens and cost. */
    public void served(String model, String provider, Duration latency, Duration firstChunk, Usage usage, double costUsd) {
        List<Tag> tags = List.of(Tag.create("model", model), Tag.create("provider", provider));
        registry.getOrCreate(Timer.builder("llmproxy.latency").description("Time to the complete answer")
                .buckets(BUCKETS).tags(tags)).record(latency);
        if (firstChunk != null) {
            registry.getOrCreate(Timer.builder("llmproxy.time_to_first_token").description("Time to the first streamed chunk")
                    .buckets(BUCKETS).tags(tags)).record(firstChunk);
        }
        tokens(tags, "in", usage.promptTokens());
        tokens(tags, "out", usage.completionTokens());
        registry.getOrCreate(DistributionSummary.builder("llmproxy.cost_usd").description("Cost of answers in US dollars")
                .tags(tags)).record(costUsd);
    }

    private void tokens(List<Tag> tags, String direction, long count) {
        registry.getOrCreate(Counter.builder("llmproxy.tokens").description("Tokens by direction")
                .tags(List.of(tags.get(0), tags.get(1), Tag.create("direction", direction)))).increment(count);
    }
}
