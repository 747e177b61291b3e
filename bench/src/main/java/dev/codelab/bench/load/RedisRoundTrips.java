package dev.codelab.bench.load;

import dev.codelab.shared.ratelimit.Redis;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import redis.clients.jedis.Jedis;

/**
 * Bare round trips ({@code PING}) to the stack's Redis from this process, paced like the token streams: what one
 * cross-process round trip costs on this machine at that cadence. The gateway stores every frame in Redis before it
 * sends it (its outbox), so this is the floor of that step of its hop.
 */
final class RedisRoundTrips {

    private RedisRoundTrips() {}

    /** {@code count} round trips for each of {@code clients} connections, {@code rate} per second each; nanoseconds. */
    static long[] run(String url, int clients, int rate, int count) throws InterruptedException {
        long interval = 1_000_000_000L / rate;
        long[][] latencies = new long[clients][count];
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            long[] mine = latencies[i];
            long first = start + i * interval / clients;
            threads.add(Thread.ofVirtual().name("bench-redis-ping").start(() -> {
                try (Jedis redis = Redis.dedicated(url)) {
                    for (int k = 0; k < count; k++) {
                        Pace.until(first + k * interval);
                        long sent = System.nanoTime();
                        redis.ping();
                        mine[k] = System.nanoTime() - sent;
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return Arrays.stream(latencies).flatMapToLong(LongStream::of).toArray();
    }
}
