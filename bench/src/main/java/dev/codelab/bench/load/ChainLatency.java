package dev.codelab.bench.load;

import java.util.ArrayList;
import java.util.List;

/**
 * Scenarios 1 and 2: the latency the chain adds to each token at 100 streams × 50 tokens/s (median over runs
 * after a warm-up run), and the ramp of concurrent streams until p99 passes 50 ms.
 */
final class ChainLatency {

    static final String LATENCY = "token-latency";
    static final String RAMP = "throughput-ramp";
    private static final int STREAMS = 100;
    private static final int RATE = 50;
    private static final long KNEE_NANOS = 50_000_000L;

    private ChainLatency() {}

    static List<Result> latency(BenchStack bench, String access, boolean quick, Report log) throws Exception {
        int seconds = quick ? 3 : 10;
        int runs = quick ? 3 : 5;
        // The chain gets several times faster over its first runs (JIT on 2 busy cores): warm it up at full length.
        for (int warmUp = 0; warmUp < (quick ? 2 : 3); warmUp++) {
            TokenStreams.Level level = TokenStreams.run(bench.webSocketUrl(""), access, STREAMS, RATE, RATE * seconds);
            log.progress(
                    "%s warm-up %d: p50 %s, p99 %s", LATENCY, warmUp + 1, Stats.ms(level.p50()), Stats.ms(level.p99()));
        }
        List<Double> p50 = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        long lost = 0;
        long misplaced = 0;
        for (int run = 0; run < runs; run++) {
            TokenStreams.Level level = TokenStreams.run(bench.webSocketUrl(""), access, STREAMS, RATE, RATE * seconds);
            log.progress(
                    "%s run %d: %d tokens, p50 %s, p99 %s, lost %d, misplaced %d, errors %d",
                    LATENCY,
                    run + 1,
                    level.latencies().length,
                    Stats.ms(level.p50()),
                    Stats.ms(level.p99()),
                    level.lost(),
                    level.misplaced(),
                    level.errors());
            p50.add((double) level.p50());
            p99.add((double) level.p99());
            lost += level.lost();
            misplaced += level.misplaced();
        }
        String how = " (median of " + runs + " runs after " + (quick ? 2 : 3) + " warm-ups, × " + STREAMS
                + " streams × " + RATE * seconds + " tokens)";
        return List.of(
                Result.against(
                        LATENCY,
                        "p50 per token" + how,
                        Stats.ms(Stats.median(p50)),
                        "≤ 1 ms",
                        Stats.median(p50) <= 1e6),
                Result.against(
                        LATENCY,
                        "p99 per token" + how,
                        Stats.ms(Stats.median(p99)),
                        "≤ 5 ms",
                        Stats.median(p99) <= 5e6),
                Result.against(
                        LATENCY,
                        "lost + duplicated/reordered tokens",
                        lost + " + " + misplaced,
                        "0",
                        lost + misplaced == 0));
    }

    /** Ramps the token rate of 100 concurrent streams ({@code concurrent-turns} is the one that adds streams). */
    static List<Result> ramp(BenchStack bench, String access, boolean quick, Report log) throws Exception {
        int[] rates = quick ? new int[] {50, 100, 200} : new int[] {50, 100, 150, 200, 300, 400};
        int seconds = quick ? 3 : 8;
        List<Result> results = new ArrayList<>();
        double knee = 0;
        String kneeLevel = "none";
        long lost = 0;
        long misplaced = 0;
        for (int rate : rates) {
            TokenStreams.Level level = TokenStreams.run(bench.webSocketUrl(""), access, STREAMS, rate, rate * seconds);
            lost += level.lost();
            misplaced += level.misplaced();
            String line = String.format(
                    "%.0f tokens/s delivered, p50 %s, p99 %s, lost %d, misplaced %d, errors %d",
                    level.tokensPerSecond(),
                    Stats.ms(level.p50()),
                    Stats.ms(level.p99()),
                    level.lost(),
                    level.misplaced(),
                    level.errors());
            log.progress("%s %d streams × %d tokens/s: %s", RAMP, STREAMS, rate, line);
            results.add(Result.info(RAMP, STREAMS + " streams × " + rate + " tokens/s", line));
            if (level.p99() > KNEE_NANOS || level.errors() > 0) {
                break;
            }
            knee = level.tokensPerSecond();
            kneeLevel = STREAMS + " × " + rate;
        }
        results.add(Result.against(
                RAMP,
                "tokens/s at the knee (last level with p99 ≤ 50 ms: " + kneeLevel + ")",
                Stats.fmt(knee),
                "≥ 10000",
                knee >= 10_000));
        results.add(Result.against(
                RAMP,
                "lost + duplicated/reordered frames over the ramp",
                lost + " + " + misplaced,
                "0",
                lost + misplaced == 0));
        return results;
    }
}
