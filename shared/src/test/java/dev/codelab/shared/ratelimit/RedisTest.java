package dev.codelab.shared.ratelimit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.codelab.shared.testing.TestInfra;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

class RedisTest {

    @Test
    @Timeout(10)
    void aCommandWaitsForAFreeConnectionAtMostThePoolWaitThenFails() {
        try (JedisPooled redis = Redis.connect(TestInfra.redisUrl())) {
            List<Connection> held = new ArrayList<>();
            for (int i = 0; i < Redis.POOL_SIZE; i++) {
                held.add(redis.getPool().getResource());
            }
            long started = System.nanoTime();
            JedisException refused = assertThrows(JedisException.class, () -> redis.get("k"));
            long waitedMillis = (System.nanoTime() - started) / 1_000_000;

            assertThat(refused.getCause(), instanceOf(NoSuchElementException.class));
            assertThat(waitedMillis, greaterThanOrEqualTo(Redis.POOL_WAIT.toMillis()));
            held.removeFirst().close();
            assertThat(redis.set("k", "v"), is("OK"));
            held.forEach(Connection::close);
        }
    }

    @Test
    void manyVirtualThreadsShareThePoolAndEveryCommandCompletes() throws Exception {
        int threads = Redis.POOL_SIZE * 20;
        try (JedisPooled redis = Redis.connect(TestInfra.redisUrl());
                ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            String key = "test:pool:" + System.nanoTime();
            List<Future<Long>> counts = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                counts.add(executor.submit(() -> redis.incr(key)));
            }
            for (Future<Long> count : counts) {
                count.get();
            }
            assertThat(redis.get(key), is(String.valueOf(threads)));
            assertThat(redis.getPool().getNumActive(), is(0));
        }
    }
}
