package dev.codelab.shared.retry;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {

    final Backoff full = new Backoff(
            Duration.ofMillis(500), Duration.ofMillis(8000), Backoff.Jitter.FULL, Backoff.RETRY_AFTER_UNCAPPED);
    final Backoff equal =
            new Backoff(Duration.ofMillis(500), Duration.ofMillis(8000), Backoff.Jitter.EQUAL, Duration.ofSeconds(60));

    /** A random source that always draws the smallest value, or always the largest below the bound. */
    record Extreme(boolean largest) implements RandomGenerator {
        @Override
        public long nextLong() {
            return 0;
        }

        @Override
        public long nextLong(long bound) {
            return largest ? bound - 1 : 0;
        }
    }

    static final RandomGenerator SMALLEST = new Extreme(false);
    static final RandomGenerator LARGEST = new Extreme(true);

    @Test
    void fullJitterStaysBelowTheDoublingCeilingAndTheCap() {
        long longest = 0;
        for (int i = 0; i < 2000; i++) {
            long first = full.delay(0, OptionalLong.empty()).toMillis();
            long third = full.delay(2, OptionalLong.empty()).toMillis();
            long late = full.delay(30, OptionalLong.empty()).toMillis();
            assertThat(first, lessThanOrEqualTo(500L));
            assertThat(third, lessThanOrEqualTo(2000L));
            assertThat(late, lessThanOrEqualTo(8000L));
            longest = Math.max(longest, late);
        }
        assertThat("jitter spreads up to the cap", longest > 4000, is(true));
    }

    @Test
    void fullJitterDrawsFromZeroToTheCeiling() {
        assertThat(full.delay(0, OptionalLong.empty(), SMALLEST), is(Duration.ZERO));
        assertThat(full.delay(0, OptionalLong.empty(), LARGEST), is(Duration.ofMillis(500)));
        assertThat(full.delay(2, OptionalLong.empty(), LARGEST), is(Duration.ofMillis(2000)));
        assertThat(full.delay(30, OptionalLong.empty(), LARGEST), is(Duration.ofMillis(8000)));
    }

    @Test
    void equalJitterDrawsFromHalfTheCeilingToTheCeiling() {
        assertThat(equal.delay(0, OptionalLong.empty(), SMALLEST), is(Duration.ofMillis(250)));
        assertThat(equal.delay(0, OptionalLong.empty(), LARGEST), is(Duration.ofMillis(500)));
        assertThat(equal.delay(3, OptionalLong.empty(), SMALLEST), is(Duration.ofMillis(2000)));
        assertThat(equal.delay(3, OptionalLong.empty(), LARGEST), is(Duration.ofMillis(4000)));
        assertThat(equal.delay(30, OptionalLong.empty(), SMALLEST), is(Duration.ofMillis(4000)));
        assertThat(equal.delay(30, OptionalLong.empty(), LARGEST), is(Duration.ofMillis(8000)));
    }

    @Test
    void retryAfterWins() {
        assertThat(full.delay(0, OptionalLong.of(3)), is(Duration.ofSeconds(3)));
        assertThat(equal.delay(5, OptionalLong.of(3)), is(Duration.ofSeconds(3)));
    }

    @Test
    void retryAfterIsCappedOnlyWhereTheCallerSaysSo() {
        assertThat(equal.delay(0, OptionalLong.of(3600)), is(Duration.ofSeconds(60)));
        assertThat(full.delay(0, OptionalLong.of(3600)), is(Duration.ofSeconds(3600)));
    }

    @Test
    void aNegativeRetryAfterAsksForNoWait() {
        assertThat(full.delay(0, OptionalLong.of(-5)), is(Duration.ZERO));
        assertThat(equal.delay(0, OptionalLong.of(Long.MIN_VALUE)), is(Duration.ZERO));
    }
}
