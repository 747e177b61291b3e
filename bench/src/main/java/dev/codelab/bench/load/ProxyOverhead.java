package dev.codelab.bench.load;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Scenario 5: non-streaming chat completions at a fixed 1000 requests/s (open loop: each request leaves at its
 * scheduled time whatever the earlier ones do), straight to the fake upstream and through llmproxy, in
 * alternating blocks; the overhead is the difference of the two p95s in each pair.
 */
final class ProxyOverhead {

    static final String NAME = "llmproxy-overhead";
    private static final int RATE = 1000;
    private static final String BODY =
            "{\"model\":\"" + PacedUpstream.MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

    private ProxyOverhead() {}

    record Block(long p50, long p95, long failed, double achievedRate) {}

    static List<Result> run(BenchStack bench, boolean quick, Report log) throws Exception {
        int pairs = quick ? 3 : 5;
        double seconds = quick ? 2 : 5;
        HttpRequest direct = HttpRequest.newBuilder(URI.create(bench.upstream.baseUrl() + "/chat/completions"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY))
                .build();
        HttpRequest proxied = HttpRequest.newBuilder(URI.create(bench.llmproxyUrl() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("X-Internal-Auth", BenchStack.INTERNAL_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(BODY))
                .build();
        // JIT warm-up of both paths: one second each left the first pairs measuring the compiler.
        for (int warmUp = 0; warmUp < 3; warmUp++) {
            block(bench, direct, 2);
            block(bench, proxied, 2);
        }
        List<Double> added = new ArrayList<>();
        List<Double> directP95 = new ArrayList<>();
        List<Double> proxyP95 = new ArrayList<>();
        long failed = 0;
        double minRate = Double.MAX_VALUE;
        for (int pair = 0; pair < pairs; pair++) {
            Block d = block(bench, direct, seconds);
            Block p = block(bench, proxied, seconds);
            added.add((double) (p.p95() - d.p95()));
            directP95.add((double) d.p95());
            proxyP95.add((double) p.p95());
            failed += d.failed() + p.failed();
            minRate = Math.min(minRate, Math.min(d.achievedRate(), p.achievedRate()));
            log.progress(
                    "%s pair %d: direct p50 %s p95 %s, via llmproxy p50 %s p95 %s, failed %d",
                    NAME,
                    pair + 1,
                    Stats.ms(d.p50()),
                    Stats.ms(d.p95()),
                    Stats.ms(p.p50()),
                    Stats.ms(p.p95()),
                    d.failed() + p.failed());
        }
        String how = " (median of " + pairs + " alternating pairs, " + RATE + " req/s open loop)";
        double overhead = Stats.median(added);
        return List.of(
                Result.info(NAME, "p95 direct to the upstream" + how, Stats.ms(Stats.median(directP95))),
                Result.info(NAME, "p95 through llmproxy" + how, Stats.ms(Stats.median(proxyP95))),
                Result.against(NAME, "added p95", Stats.ms(overhead), "≤ 2 ms", overhead <= 2e6),
                Result.against(
                        NAME,
                        "failed requests / lowest achieved rate",
                        failed + " / " + Stats.fmt(minRate) + " req/s",
                        "0 / 1000 req/s",
                        failed == 0 && minRate >= RATE * 0.95));
    }

    private static Block block(BenchStack bench, HttpRequest request, double seconds) throws InterruptedException {
        int count = (int) (RATE * seconds);
        long interval = TimeUnit.SECONDS.toNanos(1) / RATE;
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        LongAdder failed = new LongAdder();
        List<Thread> requests = new ArrayList<>(count);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            Pace.until(start + i * interval);
            requests.add(Thread.ofVirtual().start(() -> {
                long sent = System.nanoTime();
                try {
                    HttpResponse<Void> res = bench.http.send(request, HttpResponse.BodyHandlers.discarding());
                    if (res.statusCode() == 200) {
                        latencies.add(System.nanoTime() - sent);
                    } else {
                        failed.increment();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    failed.increment();
                }
            }));
        }
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        for (Thread inFlight : requests) {
            inFlight.join(TimeUnit.SECONDS.toMillis(15));
        }
        long[] samples = latencies.stream().mapToLong(Long::longValue).toArray();
        return new Block(
                Stats.percentile(samples, 50), Stats.percentile(samples, 95), failed.sum(), count / sendSeconds);
    }
}
