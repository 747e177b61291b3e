package dev.codelab.agent.api;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import javax.sql.DataSource;

import dev.codelab.agent.llm.Cancellation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

class CancelWatchTest {

    private static final Duration POLL = Duration.ofMillis(1);

    private final Logger logger = Logger.getLogger(CancelWatch.class.getName());
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLog() {
        logger.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        logger.removeHandler(capture);
    }

    @Test
    void stoppingTheWatchWhileItWaitsForAPoolConnectionIsSilent() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch poolAnswers = new CountDownLatch(1);
        CountDownLatch pollOver = new CountDownLatch(1);
        DataSource pool = dataSource(() -> {
            waiting.countDown();
            try {
                poolAnswers.await();
                throw new SQLException("Connection is not available, the pool is closing");
            } catch (InterruptedException e) {
                throw new SQLException("Interrupted during connection acquisition", e);
            } finally {
                pollOver.countDown();
            }
        });
        CancelWatch watch = new CancelWatch(pool, "s1", new Cancellation(), POLL);
        assertThat(waiting.await(5, TimeUnit.SECONDS), is(true));

        watch.close();
        poolAnswers.countDown();

        assertThat(pollOver.await(5, TimeUnit.SECONDS), is(true));
        Thread.sleep(200);
        assertThat(records, is(empty()));
    }

    @Test
    void aDatabaseFailureIsLoggedOnceAndTheWatchKeepsTrying() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch severalAttempts = new CountDownLatch(5);
        DataSource pool = dataSource(() -> {
            attempts.incrementAndGet();
            severalAttempts.countDown();
            throw new SQLException("Connection refused");
        });

        try (CancelWatch ignored = new CancelWatch(pool, "s1", new Cancellation(), POLL)) {
            assertThat(severalAttempts.await(5, TimeUnit.SECONDS), is(true));
        }

        assertThat(records, hasSize(1));
        assertThat(records.getFirst().getMessage(), startsWith("Cannot watch for cancel requests of s1 (still trying): "));
    }

    private interface ConnectionSource {
        Connection get() throws SQLException;
    }

    private static DataSource dataSource(ConnectionSource source) {
        return (DataSource) Proxy.newProxyInstance(CancelWatchTest.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        return source.get();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
