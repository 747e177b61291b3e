package dev.codelab.bench.load;

import dev.codelab.devstack.DevStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scenario 7: how long the dev stack takes from start to the first 200 on {@code /api/v1/health} at its entry
 * point, and the heap it holds once idle. The first run starts on an empty data directory (initdb included);
 * the later ones reuse it, as {@code ./codelab up} does after its first start. The time does not include
 * starting the JVM, and the heap is that of the four services together (they share this JVM).
 */
final class StackStart {

    static final String NAME = "dev-stack";
    private static final long READY_TIMEOUT_NANOS = 120_000_000_000L;

    private StackStart() {}

    static List<Result> run(Path workDir, boolean quick, Report log) throws Exception {
        int runs = quick ? 2 : 4;
        Path dataDir = workDir.resolve("start-data");
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long heapBefore = Memory.heapAfterGc();
        double cold = 0;
        List<Double> warm = new ArrayList<>();
        List<Double> heaps = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            long start = System.nanoTime();
            try (DevStack stack = DevStack.start(dataDir, DevStack.Ports.ephemeral(), run == 0, Map.of())) {
                URI health = URI.create("http://127.0.0.1:" + stack.ports().publicPort() + "/api/v1/health");
                while (status(http, health) != 200) {
                    if (System.nanoTime() - start > READY_TIMEOUT_NANOS) {
                        throw new IllegalStateException("the stack did not answer 200 on " + health + " in 120 s");
                    }
                    Thread.sleep(20);
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                Thread.sleep(2_000);
                long heap = Memory.heapAfterGc() - heapBefore;
                heaps.add((double) heap);
                if (run == 0) {
                    cold = seconds;
                } else {
                    warm.add(seconds);
                }
                log.progress(
                        "%s run %d (%s): ready in %.2f s, idle heap of the stack %s",
                        NAME, run + 1, run == 0 ? "empty data dir" : "existing data dir", seconds, Memory.mb(heap));
            }
        }
        double ready = Stats.median(warm);
        double heapPerService = Stats.median(heaps) / 4;
        return List.of(
                Result.info(NAME, "first start on an empty data dir (initdb) to 200", String.format("%.2f s", cold)),
                Result.against(
                        NAME,
                        "start to first 200 on /api/v1/health (median of " + warm.size() + ")",
                        String.format("%.2f s", ready),
                        "≤ 10 s",
                        ready <= 10),
                Result.against(
                        NAME,
                        "idle heap after GC per service (4 services in one JVM: total / 4)",
                        Memory.mb((long) heapPerService) + " (total " + Memory.mb((long) Stats.median(heaps)) + ")",
                        "≤ 64 MB",
                        heapPerService <= 64 * 1048576.0));
    }

    private static int status(HttpClient http, URI uri) {
        try {
            return http.send(
                            HttpRequest.newBuilder(uri)
                                    .timeout(Duration.ofSeconds(2))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
