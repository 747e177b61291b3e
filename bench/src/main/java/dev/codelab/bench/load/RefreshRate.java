package dev.codelab.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Scenario 6: refresh grants per second. Each worker holds its own token family (one password grant, outside
 * the timing) and rotates it back to back, as a client would.
 */
final class RefreshRate {

    static final String NAME = "refresh-grant";
    private static final int WORKERS = 16;

    private RefreshRate() {}

    static List<Result> run(BenchStack bench, boolean quick, Report log) throws Exception {
        int runs = quick ? 3 : 5;
        double seconds = quick ? 3 : 8;
        String[] refresh = new String[WORKERS];
        for (int i = 0; i < WORKERS; i++) {
            refresh[i] = bench.login().path("refresh_token").asText();
        }
        List<Double> rates = new ArrayList<>();
        long failures = 0;
        for (int run = 0; run < runs; run++) {
            LongAdder ok = new LongAdder();
            LongAdder failed = new LongAdder();
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < WORKERS; i++) {
                int worker = i;
                workers.add(Thread.ofVirtual().start(() -> {
                    while (System.nanoTime() < end && refresh[worker] != null) {
                        try {
                            refresh[worker] = bench.token(Map.of(
                                            "grant_type",
                                            "refresh_token",
                                            "refresh_token",
                                            refresh[worker],
                                            "client_id",
                                            BenchStack.CLIENT_ID))
                                    .path("refresh_token")
                                    .asText();
                            ok.increment();
                        } catch (Exception e) {
                            failed.increment();
                            refresh[worker] = null;
                        }
                    }
                }));
            }
            for (Thread worker : workers) {
                worker.join();
            }
            double rate = ok.sum() / ((System.nanoTime() - start) / 1e9);
            rates.add(rate);
            failures += failed.sum();
            log.progress("%s run %d: %.0f grants/s, %d failed", NAME, run + 1, rate, failed.sum());
        }
        double rate = Stats.median(rates);
        return List.of(
                Result.against(
                        NAME,
                        "refresh grants/s (median of " + runs + " runs, " + WORKERS + " clients)",
                        Stats.fmt(rate),
                        "≥ 300/s",
                        rate >= 300),
                Result.against(NAME, "failed refresh grants", String.valueOf(failures), "0", failures == 0));
    }
}
