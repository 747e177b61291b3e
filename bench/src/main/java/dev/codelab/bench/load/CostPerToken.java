package dev.codelab.bench.load;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What a token costs and how late it is, with the stack run as compose runs it ({@link ServiceProcesses}: each
 * service in its own JVM, PostgreSQL and Redis in their own processes) and this process only the load (the paced
 * upstream and the WebSocket clients). At 100 streams × 50 tokens/s after a warm-up, the CPU time every process
 * used in a window of steady streaming (after every turn started, before the first ends) is divided by the tokens
 * delivered in it, per process; the token latency of that level and of 10 streams is set beside its floor, the same
 * clients reading the upstream directly, measured in the same run. The load average is printed with every figure.
 */
final class CostPerToken {

    static final String NAME = "cost-per-token";
    private static final int RATE = 50;
    /** From the moment the turns are asked for until all stream: the routing call and the first tokens. */
    private static final long LEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);
    /** Left out at the end, so that no turn has ended inside the window. */
    private static final long TAIL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private CostPerToken() {}

    static List<Result> run(
            ServiceProcesses stack, PacedUpstream upstream, String access, boolean quick, Path jfr, Report log)
            throws Exception {
        int seconds = quick ? 6 : 12;
        String sockets = stack.webSocketBase("gateway");
        warmUp(stack, sockets, access, seconds, quick ? 5 : 8, log);
        List<Result> results = new ArrayList<>();
        DirectStreams.run(upstream, 100, RATE, RATE * 2); // the JIT's turn for the floor's code
        TokenStreams.Level floor = DirectStreams.run(upstream, 100, RATE, RATE * seconds);
        Window window = new Window(stack, LEAD_NANOS, TimeUnit.SECONDS.toNanos(seconds) - TAIL_NANOS);
        if (jfr != null) {
            stack.startRecordings();
        }
        TokenStreams.Level chain = TokenStreams.run(sockets, access, 100, RATE, RATE * seconds, window);
        if (jfr != null) {
            stack.stopRecordings(jfr);
            log.progress("%s: JFR recordings of the measured run in %s", NAME, jfr);
        }
        window.logThreads(log);
        results.addAll(window.results(100 * RATE));
        results.addAll(latency(floor, chain, 1e6, 5e6, log));
        int tokens = RATE * seconds;
        TokenStreams.Level floor10 = DirectStreams.run(upstream, 10, RATE, tokens);
        TokenStreams.Level llmproxy10 =
                DirectStreams.run(DirectStreams.viaLlmproxy(stack, RATE, tokens), 10, RATE, tokens);
        TokenStreams.Level agent10 = DirectStreams.run(DirectStreams.viaAgent(stack, RATE, tokens), 10, RATE, tokens);
        TokenStreams.Level chain10 = TokenStreams.run(sockets, access, 10, RATE, tokens);
        results.addAll(latency(floor10, chain10, 0.5e6, 2e6, log));
        results.add(byHop(List.of(floor10, llmproxy10, agent10, chain10), log));
        results.add(redisRoundTrips(stack, tokens, log));
        return results;
    }

    /** Bare Redis round trips at the 10 streams' cadence: the floor of the gateway's store before each send. */
    private static Result redisRoundTrips(ServiceProcesses stack, int count, Report log) throws InterruptedException {
        long[] latencies = RedisRoundTrips.run(stack.redisUrl(), 10, RATE, count);
        String measured = Stats.ms(Stats.percentile(latencies, 50)) + " / "
                + Stats.ms(Stats.percentile(latencies, 99))
                + String.format(" (load %.2f)", CpuTime.loadAverage());
        log.progress("%s Redis PING round trips, 10 × %d/s, p50 / p99: %s", NAME, RATE, measured);
        return Result.info(
                NAME,
                "… a bare Redis PING round trip from this process at the same cadence (10 × " + RATE
                        + "/s), p50 / p99: the floor of the gateway's store before each send",
                measured);
    }

    /**
     * The same 10 streams read at each point of the chain in turn (the upstream, llmproxy, the agent, the gateway's
     * WebSocket): each point's latency, and what its hop added to the one before.
     */
    private static Result byHop(List<TokenStreams.Level> levels, Report log) {
        List<String> points = List.of("upstream", "llmproxy", "agent", "gateway");
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < levels.size(); i++) {
            TokenStreams.Level level = levels.get(i);
            line.append(i == 0 ? "" : " → ")
                    .append(points.get(i))
                    .append(' ')
                    .append(Stats.ms(level.p50()))
                    .append(" / ")
                    .append(Stats.ms(level.p99()));
            if (i > 0) {
                TokenStreams.Level before = levels.get(i - 1);
                line.append(" (+")
                        .append(Stats.ms(level.p50() - before.p50()))
                        .append(" / +")
                        .append(Stats.ms(level.p99() - before.p99()))
                        .append(')');
            }
            long wrong = level.lost() + level.misplaced() + level.errors();
            if (wrong > 0) {
                line.append(" [").append(wrong).append(" lost, misplaced or failed]");
            }
        }
        line.append(String.format(" (load %.2f)", CpuTime.loadAverage()));
        log.progress("%s 10 × %d tokens/s by hop, p50 / p99: %s", NAME, RATE, line);
        return Result.info(
                NAME,
                "10 × " + RATE + " tokens/s read at each point of the chain, p50 / p99 (what the hop added)",
                line.toString());
    }

    /**
     * Runs the 100 streams until the JIT compilers have settled: at least twice, and until they used less than a
     * tenth of the services' CPU during the last run (or {@code most} runs). A loaded machine compiles slowly, so a
     * fixed number of runs would measure the compilers as part of each token.
     */
    private static void warmUp(ServiceProcesses stack, String sockets, String access, int seconds, int most, Report log)
            throws Exception {
        for (int run = 1; run <= most; run++) {
            long jitBefore = jitCpu(stack);
            long cpuBefore = servicesCpu(stack);
            TokenStreams.Level level = TokenStreams.run(sockets, access, 100, RATE, RATE * seconds);
            double jitShare = (double) (jitCpu(stack) - jitBefore) / Math.max(1, servicesCpu(stack) - cpuBefore);
            log.progress(
                    "%s warm-up %d: p50 %s, p99 %s, JIT compilers %.0f %% of the services' CPU (load %.2f)",
                    NAME, run, Stats.ms(level.p50()), Stats.ms(level.p99()), 100 * jitShare, CpuTime.loadAverage());
            if (run >= 2 && jitShare < 0.1) {
                return;
            }
        }
    }

    private static long servicesCpu(ServiceProcesses stack) {
        return ServiceProcesses.SERVICES.stream()
                .mapToLong(s -> CpuTime.of(stack.pid(s)))
                .sum();
    }

    private static long jitCpu(ServiceProcesses stack) {
        return ServiceProcesses.SERVICES.stream()
                .mapToLong(s -> CpuTime.compilers(CpuTime.byThread(stack.pid(s))))
                .sum();
    }

    private static List<Result> latency(
            TokenStreams.Level floor, TokenStreams.Level chain, double p50Target, double p99Target, Report log) {
        String level = chain.streams() + " × " + chain.rate() + " tokens/s";
        String load = String.format(" (load %.2f)", CpuTime.loadAverage());
        double p50 = chain.p50() - floor.p50();
        double p99 = chain.p99() - floor.p99();
        log.progress(
                "%s %s: chain p50 %s p99 %s, floor p50 %s p99 %s, lost %d, misplaced %d, errors %d%s",
                NAME,
                level,
                Stats.ms(chain.p50()),
                Stats.ms(chain.p99()),
                Stats.ms(floor.p50()),
                Stats.ms(floor.p99()),
                chain.lost(),
                chain.misplaced(),
                chain.errors(),
                load);
        return List.of(
                Result.against(
                        NAME,
                        level + ": p50 added (chain − floor, each its own JVMs)",
                        Stats.ms(chain.p50()) + " − " + Stats.ms(floor.p50()) + " = " + Stats.ms(p50) + load,
                        "≤ " + Stats.ms(p50Target).replace(".00", ""),
                        p50 <= p50Target),
                Result.against(
                        NAME,
                        level + ": p99 added (chain − floor)",
                        Stats.ms(chain.p99()) + " − " + Stats.ms(floor.p99()) + " = " + Stats.ms(p99) + load,
                        "≤ " + Stats.ms(p99Target).replace(".00", ""),
                        p99 <= p99Target),
                Result.against(
                        NAME,
                        level + ": lost + duplicated/reordered tokens, failed turns",
                        (chain.lost() + floor.lost()) + " + " + (chain.misplaced() + floor.misplaced()) + ", "
                                + (chain.errors() + floor.errors()),
                        "0",
                        chain.lost()
                                        + chain.misplaced()
                                        + chain.errors()
                                        + floor.lost()
                                        + floor.misplaced()
                                        + floor.errors()
                                == 0));
    }

    /** The probe of the measured run: CPU of every process and tokens delivered, at the start and end of a window. */
    private static final class Window implements TokenStreams.Probe {

        private final ServiceProcesses stack;
        private final long from;
        private final long to;
        private final Map<String, Map<String, Long>> threadsBefore = new HashMap<>();
        private final Map<String, Map<String, Long>> threadsAfter = new HashMap<>();
        private Map<String, Long> cpuBefore;
        private Map<String, Long> cpuAfter;
        private long benchBefore;
        private long benchAfter;
        private long tokensBefore;
        private long tokensAfter;
        private double loadBefore;
        private double loadAfter;
        private long nanos;

        Window(ServiceProcesses stack, long from, long to) {
            this.stack = stack;
            this.from = from;
            this.to = to;
        }

        @Override
        public void during(long start, LongSupplier delivered) {
            Pace.until(start + from);
            loadBefore = CpuTime.loadAverage();
            long opened = System.nanoTime();
            tokensBefore = delivered.getAsLong();
            cpuBefore = stack.cpu();
            ServiceProcesses.SERVICES.forEach(s -> threadsBefore.put(s, CpuTime.byThread(stack.pid(s))));
            benchBefore = CpuTime.of(ProcessHandle.current().pid());
            Pace.until(start + to);
            tokensAfter = delivered.getAsLong();
            cpuAfter = stack.cpu();
            ServiceProcesses.SERVICES.forEach(s -> threadsAfter.put(s, CpuTime.byThread(stack.pid(s))));
            benchAfter = CpuTime.of(ProcessHandle.current().pid());
            nanos = System.nanoTime() - opened;
            loadAfter = CpuTime.loadAverage();
        }

        /** Where each service JVM spent its CPU in the window, by thread (its five busiest kinds of thread). */
        void logThreads(Report log) {
            long tokens = Math.max(1, tokensAfter - tokensBefore);
            for (String service : ServiceProcesses.SERVICES) {
                Map<String, Long> before = threadsBefore.get(service);
                StringBuilder line = new StringBuilder();
                threadsAfter.get(service).entrySet().stream()
                        .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                        .limit(6)
                        .forEach(e -> line.append(line.isEmpty() ? "" : ", ")
                                .append(e.getKey())
                                .append(' ')
                                .append(micros(e.getValue(), tokens)));
                log.progress("%s CPU per token of %s by thread: %s", NAME, service, line);
            }
        }

        List<Result> results(int offeredPerSecond) {
            long tokens = Math.max(1, tokensAfter - tokensBefore);
            String how = String.format(
                    "%d tokens in %.1f s of steady streaming after the warm-up, load %.2f → %.2f",
                    tokensAfter - tokensBefore, nanos / 1e9, loadBefore, loadAfter);
            List<Result> rows = new ArrayList<>();
            long total = 0;
            StringBuilder parts = new StringBuilder();
            for (String part : ServiceProcesses.PARTS) {
                long used = cpuAfter.get(part) - cpuBefore.get(part);
                total += used;
                parts.append(parts.isEmpty() ? "" : ", ")
                        .append(part)
                        .append(' ')
                        .append(micros(used, tokens));
            }
            double perToken = total / 1e3 / tokens;
            rows.add(Result.against(
                    NAME,
                    "stack CPU per delivered token at 100 × 50 tokens/s (" + how + ")",
                    micros(total, tokens),
                    "≤ 60 µs",
                    perToken <= 60));
            rows.add(Result.info(
                    NAME,
                    "… per process (CPU µs per delivered token; service JVMs with " + stack.jvmOptions() + ")",
                    parts.toString()));
            long jit = 0;
            for (String service : ServiceProcesses.SERVICES) {
                jit += CpuTime.compilers(threadsAfter.get(service)) - CpuTime.compilers(threadsBefore.get(service));
            }
            rows.add(Result.info(
                    NAME,
                    "… of which the services' JIT compiler threads (still compiling after the warm-up)",
                    micros(jit, tokens)));
            rows.add(Result.info(
                    NAME,
                    "… the load generator, for scale: this process writes each token once (paced upstream on the "
                            + "JDK's HTTP server) and reads it once (100 minimal WebSocket clients), the two ends of "
                            + "one hop",
                    micros(benchAfter - benchBefore, tokens)));
            double rate = (tokensAfter - tokensBefore) / (nanos / 1e9);
            rows.add(Result.against(
                    NAME,
                    "tokens/s delivered of " + offeredPerSecond + " offered (" + how + ")",
                    String.format("%.0f (%.1f %%)", rate, 100 * rate / offeredPerSecond),
                    "≥ 95 %",
                    rate >= 0.95 * offeredPerSecond));
            return rows;
        }

        private static String micros(long nanos, long tokens) {
            return String.format("%.1f µs", nanos / 1e3 / tokens);
        }
    }
}
