package dev.codelab.shared.watch;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class IdleWatchTest {

    private static final Duration SOON = Duration.ofMillis(1);
    private static final Duration NEVER = Duration.ofHours(1);
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void theFirstSilenceIsTheFirstIntervalAndEveryLaterOneTheInterval() {
        assertThat(IdleWatch.deadline(1_000, false, 500, 20), is(1_500L));
        assertThat(IdleWatch.deadline(1_000, true, 500, 20), is(1_020L));
    }

    @Test
    void anUntouchedWatchActsAgainAndAgainUntilClosed() throws Exception {
        CountDownLatch thrice = new CountDownLatch(3);
        IdleWatch watch = new IdleWatch("test-poll", SOON, () -> {
                    thrice.countDown();
                    return true;
                })
                .start();

        assertThat(thrice.await(PATIENCE.toSeconds(), TimeUnit.SECONDS), is(true));
        watch.close();
        assertThat(watch.thread().join(PATIENCE), is(true));
    }

    @Test
    void anActionThatSaysStopIsTheLast() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        IdleWatch watch = new IdleWatch("test-timeout", SOON, () -> {
                    calls.incrementAndGet();
                    return false;
                })
                .start();

        assertThat(watch.thread().join(PATIENCE), is(true));
        assertThat(calls.get(), is(1));
    }

    @Test
    void closingEndsAWatchThatWouldWaitLong() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        IdleWatch watch = new IdleWatch("test-close", NEVER, () -> calls.incrementAndGet() > 0).start();

        watch.close();

        assertThat(watch.thread().join(PATIENCE), is(true));
        assertThat(calls.get(), is(0));
    }

    @Test
    void theFirstTouchWakesTheWatchWhenTheIntervalIsShorterThanTheFirstSilence() throws Exception {
        CountDownLatch acted = new CountDownLatch(1);
        IdleWatch watch = new IdleWatch("test-gap", NEVER, SOON, () -> {
                    acted.countDown();
                    return false;
                })
                .start();

        watch.touch();

        assertThat(acted.await(PATIENCE.toSeconds(), TimeUnit.SECONDS), is(true));
        assertThat(watch.thread().join(PATIENCE), is(true));
    }
}
