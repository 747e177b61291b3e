package dev.codelab.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Scenario 5: non-streaming chat completions at a fixed 1000 requests/s (open loop: each request leaves at its
 * scheduled time whatever the earlier ones do), straight to the fake upstream and through llmproxy, in
 * alternating blocks; the overhead is the difference of the two p95s in each pair. llmproxy runs in its own JVM as
 * compose runs it ({@link ServiceProcesses}), metering into its PostgreSQL database, so the CPU time it and
 * PostgreSQL use per proxied call is read beside the latency (a figure that moves far less with the machine's load),
 * with this process's CPU per direct call (the client and the fake upstream: one call's two ends) for scale.
 */
final class ProxyOverhead {

    static final String NAME = "llmproxy-overhead";
    private static final int RATE = 1000;
    private static final String LLMPROXY_JIT = "llmproxy JIT";
    private static final String BODY =
            "{\"model\":\"" + PacedUpstream.MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

    private ProxyOverhead() {}

    /** One block's latencies, and the CPU time each part of the stack (and this process, {@code bench}) used. */
    record Block(long p50, long p95, long failed, double achievedRate, int calls, Map<String, Long> cpu) {

        double microsPerCall(String part) {
            return cpu.get(part) / 1e3 / Math.max(1, calls);
        }
    }

    static List<Result> run(ServiceProcesses stack, PacedUpstream upstream, boolean quick, Report log)
            throws Exception {
        int pairs = quick ? 3 : 5;
        double seconds = quick ? 2 : 5;
        HttpRequest direct = post(upstream.baseUrl() + "/chat/completions").build();
        HttpRequest proxied = post(stack.url("llmproxy") + "/v1/chat/completions")
                .header("X-Internal-Auth", BenchStack.INTERNAL_KEY)
                .build();
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                // as the services' own hop clients: the default executor's hand-off to a pool thread per answer cost
                // this process 825 instead of 460 µs of CPU per direct call, on the two cores it shares with llmproxy
                .executor(Runnable::run)
                .build();
        warmUp(stack, http, direct, proxied, quick ? 20 : 30, log);
        Pairs measured = new Pairs();
        for (int pair = 0; pair < pairs; pair++) {
            Block d = block(stack, http, direct, seconds);
            Block p = block(stack, http, proxied, seconds);
            measured.add(d, p);
            log.progress(
                    "%s pair %d: direct p50 %s p95 %s, via llmproxy p50 %s p95 %s, failed %d, llmproxy CPU per call %s,"
                            + " PostgreSQL %s (load %.2f)",
                    NAME,
                    pair + 1,
                    Stats.ms(d.p50()),
                    Stats.ms(d.p95()),
                    Stats.ms(p.p50()),
                    Stats.ms(p.p95()),
                    d.failed() + p.failed(),
                    micros(p, "llmproxy"),
                    micros(p, "postgresql"),
                    CpuTime.loadAverage());
        }
        http.close();
        return measured.results(pairs, stack.jvmOptions());
    }

    /**
     * Both paths in turn, 2 s each, until llmproxy's JIT compilers used less than a tenth of its CPU in the last
     * proxied block (at least three times, at most {@code most}): a JVM of its own still compiled for minutes on this
     * machine, and a fixed warm-up measured the compiler as part of every call.
     */
    private static void warmUp(
            ServiceProcesses stack, HttpClient http, HttpRequest direct, HttpRequest proxied, int most, Report log)
            throws InterruptedException {
        for (int round = 1; round <= most; round++) {
            block(stack, http, direct, 2);
            Block p = block(stack, http, proxied, 2);
            double jitShare =
                    (double) p.cpu().get(LLMPROXY_JIT) / Math.max(1, p.cpu().get("llmproxy"));
            log.progress(
                    "%s warm-up %d: via llmproxy p95 %s, llmproxy CPU per call %s, its JIT compilers %.0f %%"
                            + " (load %.2f)",
                    NAME, round, Stats.ms(p.p95()), micros(p, "llmproxy"), 100 * jitShare, CpuTime.loadAverage());
            if (round >= 3 && jitShare < 0.1) {
                return;
            }
        }
    }

    private static String micros(Block block, String part) {
        return String.format("%.1f µs", block.microsPerCall(part));
    }

    private static HttpRequest.Builder post(String url) {
        return HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(BODY));
    }

    /** The direct and proxied blocks measured so far, pair by pair. */
    private static final class Pairs {

        private final List<Double> added = new ArrayList<>();
        private final List<Double> directP95 = new ArrayList<>();
        private final List<Double> proxyP95 = new ArrayList<>();
        private long failed;
        private double minRate = Double.MAX_VALUE;
        private final List<Block> proxiedBlocks = new ArrayList<>();
        private final List<Block> directBlocks = new ArrayList<>();

        void add(Block d, Block p) {
            directBlocks.add(d);
            proxiedBlocks.add(p);
            added.add((double) (p.p95() - d.p95()));
            directP95.add((double) d.p95());
            proxyP95.add((double) p.p95());
            failed += d.failed() + p.failed();
            minRate = Math.min(minRate, Math.min(d.achievedRate(), p.achievedRate()));
        }

        List<Result> results(int pairs, String jvmOptions) {
            String how = " (median of " + pairs + " alternating pairs, " + RATE + " req/s open loop)";
            double overhead = Stats.median(added);
            return List.of(
                    Result.info(
                            NAME,
                            "CPU per proxied call: llmproxy (of which its JIT compilers) / PostgreSQL (metering) / this"
                                    + " process (median of " + pairs + " blocks; llmproxy's JVM with " + jvmOptions
                                    + ")",
                            medianMicros(proxiedBlocks, "llmproxy") + " (" + medianMicros(proxiedBlocks, LLMPROXY_JIT)
                                    + ") / " + medianMicros(proxiedBlocks, "postgresql") + " / "
                                    + medianMicros(proxiedBlocks, "bench")),
                    Result.info(
                            NAME,
                            "CPU per direct call of this process, for scale (the client and the fake upstream)",
                            medianMicros(directBlocks, "bench")),
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
    }

    private static String medianMicros(List<Block> blocks, String part) {
        List<Double> perCall = blocks.stream().map(b -> b.microsPerCall(part)).toList();
        return String.format("%.1f µs", Stats.median(perCall));
    }

    private static Block block(ServiceProcesses stack, HttpClient http, HttpRequest request, double seconds)
            throws InterruptedException {
        int count = (int) (RATE * seconds);
        long interval = TimeUnit.SECONDS.toNanos(1) / RATE;
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        LongAdder failed = new LongAdder();
        List<Thread> requests = new ArrayList<>(count);
        Map<String, Long> cpuBefore = cpu(stack);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            Pace.until(start + i * interval);
            requests.add(Thread.ofVirtual().start(() -> send(http, request, latencies, failed)));
        }
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        for (Thread inFlight : requests) {
            inFlight.join(TimeUnit.SECONDS.toMillis(15));
        }
        Map<String, Long> used = cpu(stack);
        used.replaceAll((part, after) -> after - cpuBefore.get(part));
        long[] samples = latencies.stream().mapToLong(Long::longValue).toArray();
        return new Block(
                Stats.percentile(samples, 50),
                Stats.percentile(samples, 95),
                failed.sum(),
                count / sendSeconds,
                count,
                used);
    }

    /** CPU time so far of each part of the stack, of llmproxy's JIT compilers and of this process ({@code bench}). */
    private static Map<String, Long> cpu(ServiceProcesses stack) {
        Map<String, Long> used = stack.cpu();
        used.put(LLMPROXY_JIT, CpuTime.compilers(CpuTime.byThread(stack.pid("llmproxy"))));
        used.put("bench", CpuTime.of(ProcessHandle.current().pid()));
        return used;
    }

    /** Sends one request; a 200's latency goes into {@code latencies}, anything else counts as failed. */
    private static void send(
            HttpClient http, HttpRequest request, ConcurrentLinkedQueue<Long> latencies, LongAdder failed) {
        long sent = System.nanoTime();
        try {
            HttpResponse<Void> res = http.send(request, HttpResponse.BodyHandlers.discarding());
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
    }
}
