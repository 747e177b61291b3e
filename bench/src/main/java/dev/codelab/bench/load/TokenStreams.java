package dev.codelab.bench.load;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.LongStream;

/**
 * Runs {@code streams} concurrent turns through the whole chain (paced upstream → llmproxy → agent → gateway →
 * WebSocket), each a fresh session whose model answer is {@code tokens} stamped tokens at {@code rate} per
 * second, and collects what the clients saw.
 */
final class TokenStreams {

    private static final int OPENING_BATCH = 16;

    private TokenStreams() {}

    /**
     * What one load level delivered.
     *
     * @param latencies every token's latency in nanoseconds (send at the upstream → arrival at the client)
     * @param lost      tokens or frames that never arrived
     * @param misplaced tokens or frames that arrived twice or out of order
     * @param peakStreaming the most turns that were streaming at one moment (between their first and last token)
     */
    record Level(
            int streams,
            int rate,
            long[] latencies,
            long lost,
            long misplaced,
            long errors,
            double tokensPerSecond,
            int peakStreaming) {
        long p50() {
            return Stats.percentile(latencies, 50);
        }

        long p99() {
            return Stats.percentile(latencies, 99);
        }
    }

    /** @param socketBase the gateway's WebSocket URL without the session id ({@code ws://host:port/api/v1/ws/}) */
    static Level run(String socketBase, String access, int streams, int rate, int tokens) throws Exception {
        return run(socketBase, access, streams, rate, tokens, null);
    }

    /**
     * Something to do while the streams run (on its own thread, started once every stream was asked for): it is
     * told when that was, and can count the tokens delivered so far. The level is returned after it finished.
     */
    @FunctionalInterface
    interface Probe {
        void during(long start, LongSupplier delivered) throws Exception;
    }

    /** {@link #run} with a {@link Probe} ({@code null} for none). */
    static Level run(String socketBase, String access, int streams, int rate, int tokens, Probe probe)
            throws Exception {
        List<StreamClient> clients = new ArrayList<>();
        List<BenchSocket> sockets = new ArrayList<>();
        try {
            // A few at a time: each upgrade creates its session in the agent, and a burst of 100 right after
            // the stack started timed out on a loaded machine.
            for (int i = 0; i < streams; i += OPENING_BATCH) {
                List<Future<BenchSocket>> batch = new ArrayList<>();
                try (ExecutorService openers = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int j = i; j < Math.min(streams, i + OPENING_BATCH); j++) {
                        batch.add(openers.submit(
                                () -> BenchSocket.open(URI.create(socketBase + "bench-" + UUID.randomUUID()), access)));
                    }
                }
                for (Future<BenchSocket> socket : batch) {
                    sockets.add(socket.get());
                }
            }
            for (BenchSocket socket : sockets) {
                StreamClient client = new StreamClient(tokens);
                clients.add(client);
                Thread.ofVirtual().name("bench-ws-reader").start(() -> {
                    boolean broken = false;
                    try {
                        socket.read(client::onText);
                    } catch (IOException e) {
                        broken = true;
                    } finally {
                        client.ended(broken);
                    }
                });
            }
            String message =
                    "{\"type\":\"user_message\",\"content\":\"bench tokens=" + tokens + " rate=" + rate + "\"}";
            long start = System.nanoTime();
            for (BenchSocket socket : sockets) {
                socket.send(message);
            }
            if (probe == null) {
                return awaitAll(streams, rate, clients, start);
            }
            try (ExecutorService probing = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<?> probed = probing.submit(() -> {
                    probe.during(
                            start,
                            () -> clients.stream()
                                    .mapToLong(StreamClient::received)
                                    .sum());
                    return null;
                });
                Level level = awaitAll(streams, rate, clients, start);
                probed.get();
                return level;
            }
        } finally {
            sockets.forEach(BenchSocket::close);
        }
    }

    /**
     * Waits for every client's stream to end (at most 30 s more than its tokens take at {@code rate}) and counts
     * what the clients saw, from {@code start} (when the streams were asked for).
     */
    static Level awaitAll(int streams, int rate, List<StreamClient> clients, long start) throws InterruptedException {
        int tokens = clients.isEmpty() ? 0 : clients.getFirst().expected();
        long deadline = start + TimeUnit.SECONDS.toNanos(30 + tokens / Math.max(1, rate));
        for (StreamClient client : clients) {
            client.done().await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        long lost = 0;
        long misplaced = 0;
        long errors = 0;
        long received = 0;
        long last = start;
        List<long[]> all = new ArrayList<>();
        for (StreamClient client : clients) {
            lost += client.lost + client.missing();
            misplaced += client.duplicated + client.reordered;
            errors += client.errors + (client.done().getCount() > 0 ? 1 : 0);
            received += client.received();
            last = Math.max(last, client.lastArrival);
            all.add(client.latencies());
        }
        long[] latencies = all.stream().flatMapToLong(LongStream::of).toArray();
        double seconds = (last - start) / 1e9;
        return new Level(
                streams,
                rate,
                latencies,
                lost,
                misplaced,
                errors,
                seconds > 0 ? received / seconds : 0,
                peakStreaming(clients));
    }

    private static int peakStreaming(List<StreamClient> clients) {
        List<long[]> edges = new ArrayList<>();
        for (StreamClient client : clients) {
            if (client.firstArrival != 0) {
                edges.add(new long[] {client.firstArrival, 1});
                edges.add(new long[] {client.lastArrival, -1});
            }
        }
        // at equal times a start counts before an end: a turn whose only token came then was streaming too
        edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(b[1], a[1]));
        int streaming = 0;
        int peak = 0;
        for (long[] edge : edges) {
            streaming += (int) edge[1];
            peak = Math.max(peak, streaming);
        }
        return peak;
    }
}
