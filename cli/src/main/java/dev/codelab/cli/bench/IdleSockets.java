package dev.codelab.cli.bench;

import java.net.URI;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario 3: authenticated WebSockets held open and idle on one gateway, and the process's memory. The
 * clients live in the same process as the gateway, so the RSS holds both ends of every socket (an upper bound
 * for the gateway) and both ends count against the open-files limit, which caps the count.
 */
final class IdleSockets {

    static final String NAME = "idle-sockets";
    private static final int TARGET = 10_000;
    private static final int OPENING_CONCURRENCY = 64;

    private IdleSockets() {
    }

    static List<Result> run(BenchStack bench, String access, boolean quick, Report log) throws Exception {
        long fdLimit = Memory.openFilesLimit(4096);
        int wanted = (int) Math.min(quick ? 1_000 : TARGET, (fdLimit - 2_000) / 2);
        int holdSeconds = quick ? 10 : 60;
        long openingBudget = TimeUnit.SECONDS.toNanos(quick ? 45 : 240);
        long heapBefore = Memory.heapAfterGc();
        long rssBefore = Memory.rss();

        AtomicInteger closed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ConcurrentLinkedQueue<WebSocket> sockets = new ConcurrentLinkedQueue<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                closed.incrementAndGet();
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closed.incrementAndGet();
            }
        };
        Semaphore permits = new Semaphore(OPENING_CONCURRENCY);
        long start = System.nanoTime();
        List<Thread> openers = new ArrayList<>();
        for (int i = 0; i < wanted && System.nanoTime() - start < openingBudget; i++) {
            permits.acquire();
            openers.add(Thread.ofVirtual().start(() -> {
                try {
                    sockets.add(bench.http.newWebSocketBuilder().header("Authorization", "Bearer " + access)
                            .connectTimeout(Duration.ofSeconds(30))
                            .buildAsync(URI.create(bench.webSocketUrl("idle-" + UUID.randomUUID())), listener)
                            .get(60, TimeUnit.SECONDS));
                } catch (Exception e) {
                    failed.incrementAndGet();
                } finally {
                    permits.release();
                }
            }));
        }
        for (Thread opener : openers) {
            opener.join();
        }
        double openSeconds = (System.nanoTime() - start) / 1e9;
        log.progress("%s: %d open, %d failed in %.1f s; holding %d s", NAME, sockets.size(), failed.get(), openSeconds,
                holdSeconds);
        Thread.sleep(TimeUnit.SECONDS.toMillis(holdSeconds));
        int held = sockets.size() - closed.get();
        long heapAfter = Memory.heapAfterGc();
        long rssAfter = Memory.rss();
        for (WebSocket socket : sockets) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bench done");
        }
        String how = " (" + wanted + " wanted, open-files limit " + fdLimit + ", both ends in one process)";
        return List.of(
                wanted < TARGET
                        ? new Result(NAME, "idle authenticated sockets held " + holdSeconds + " s" + how,
                                String.valueOf(held), "10000 for 60 s", "NOT MEASURED at 10000")
                        : Result.against(NAME, "idle authenticated sockets held " + holdSeconds + " s" + how,
                                String.valueOf(held), "10000 for 60 s", held >= TARGET),
                Result.against(NAME, "process RSS with them open (gateway + clients + whole stack)", Memory.mb(rssAfter),
                        "≤ 500 MB", rssAfter <= 500L * 1048576),
                Result.info(NAME, "RSS / heap growth per socket (both ends)", String.format("%.1f KB / %.1f KB",
                        (rssAfter - rssBefore) / 1024.0 / Math.max(1, held), (heapAfter - heapBefore) / 1024.0 / Math.max(1, held))),
                Result.info(NAME, "opening rate", String.format("%.0f sockets/s", sockets.size() / openSeconds)));
    }
}
