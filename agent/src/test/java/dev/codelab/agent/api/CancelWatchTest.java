package dev.codelab.agent.api;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import dev.codelab.agent.llm.Cancellation;
import dev.codelab.shared.testing.LogRecords;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CancelWatchTest {

    private static final Duration POLL = Duration.ofMillis(1);

    private final RunningTurns running = new RunningTurns();
    private LogRecords log;
    private List<LogRecord> records;

    @BeforeEach
    void captureLog() {
        log = LogRecords.of(CancelWatch.class.getName());
        records = log.all();
    }

    @AfterEach
    void releaseLog() {
        log.close();
    }

    @Test
    void oneQueryForAllRunningTurnsCancelsTheOnesAskedFor() throws Exception {
        Cancellation first = new Cancellation();
        Cancellation second = new Cancellation();
        running.started("s1", first);
        running.started("s2", second);
        List<Set<String>> asked = new CopyOnWriteArrayList<>();
        CountDownLatch polled = new CountDownLatch(3);

        try (CancelWatch ignored = new CancelWatch(
                sessions -> {
                    asked.add(sessions);
                    polled.countDown();
                    return Set.of("s2", "gone");
                },
                running,
                POLL)) {
            assertThat(polled.await(5, TimeUnit.SECONDS), is(true));
        }

        assertThat(asked.getFirst(), is(Set.of("s1", "s2")));
        assertThat(second.isCancelled(), is(true));
        assertThat(first.isCancelled(), is(false));
    }

    @Test
    void noQueryWhileNoTurnRuns() throws Exception {
        AtomicInteger queries = new AtomicInteger();
        try (CancelWatch ignored = new CancelWatch(
                sessions -> {
                    queries.incrementAndGet();
                    return Set.of();
                },
                running,
                POLL)) {
            Thread.sleep(100);
        }
        assertThat(queries.get(), is(0));
    }

    @Test
    void stoppingTheWatchWhileAPollWaitsForAPoolConnectionIsSilent() throws Exception {
        running.started("s1", new Cancellation());
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch poolAnswers = new CountDownLatch(1);
        CountDownLatch pollOver = new CountDownLatch(1);
        CancelWatch watch = new CancelWatch(
                sessions -> {
                    waiting.countDown();
                    try {
                        poolAnswers.await();
                        throw new IllegalStateException("Connection is not available, the pool is closing");
                    } catch (InterruptedException e) {
                        throw new IllegalStateException("Interrupted during connection acquisition", e);
                    } finally {
                        pollOver.countDown();
                    }
                },
                running,
                POLL);
        assertThat(waiting.await(5, TimeUnit.SECONDS), is(true));

        watch.close();
        poolAnswers.countDown();

        assertThat(pollOver.await(5, TimeUnit.SECONDS), is(true));
        Thread.sleep(200);
        assertThat(records, is(empty()));
    }

    @Test
    void aDatabaseFailureIsLoggedOnceWhileItLastsAndTheWatchKeepsTrying() throws Exception {
        running.started("s1", new Cancellation());
        AtomicBoolean down = new AtomicBoolean(true);
        CountDownLatch severalFailures = new CountDownLatch(5);
        CountDownLatch recovered = new CountDownLatch(3);
        CountDownLatch downAgain = new CountDownLatch(3);

        try (CancelWatch ignored = new CancelWatch(
                sessions -> {
                    if (down.get()) {
                        severalFailures.countDown();
                        if (recovered.getCount() == 0) {
                            downAgain.countDown();
                        }
                        throw new IllegalStateException("Connection refused");
                    }
                    recovered.countDown();
                    return Set.of();
                },
                running,
                POLL)) {
            assertThat(severalFailures.await(5, TimeUnit.SECONDS), is(true));
            assertThat(records, hasSize(1));
            down.set(false);
            assertThat(recovered.await(5, TimeUnit.SECONDS), is(true));
            down.set(true);
            assertThat(downAgain.await(5, TimeUnit.SECONDS), is(true));
        }

        assertThat(records, hasSize(2));
        assertThat(
                records.getFirst().getMessage(),
                startsWith(
                        "Cannot watch for cancel requests (still trying): java.lang.IllegalStateException: Connection "
                                + "refused"));
    }
}
