package dev.codelab.llmproxy.routing;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class BackoffTest {

    final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofMillis(8000));

    @Test
    void fullJitterStaysBelowTheDoublingCeilingAndTheCap() {
        long longest = 0;
        for (int i = 0; i < 2000; i++) {
            long first = backoff.delay(0, OptionalLong.empty()).toMillis();
            long third = backoff.delay(2, OptionalLong.empty()).toMillis();
            long late = backoff.delay(30, OptionalLong.empty()).toMillis();
            assertThat(first, lessThanOrEqualTo(500L));
            assertThat(third, lessThanOrEqualTo(2000L));
            assertThat(late, lessThanOrEqualTo(8000L));
            longest = Math.max(longest, late);
        }
        assertThat("jitter spreads up to the cap", longest > 4000, is(true));
    }

    @Test
    void retryAfterWins() {
        assertThat(backoff.delay(0, OptionalLong.of(3)), is(Duration.ofSeconds(3)));
    }
}
