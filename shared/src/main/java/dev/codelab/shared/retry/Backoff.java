package dev.codelab.shared.retry;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff: the ceiling is {@code base} doubled per retry, at most {@code cap}, and the wait is drawn
 * below it as {@code jitter} says. A server's {@code Retry-After} wins when it gives one, up to
 * {@code retryAfterCap}. Callers pick the jitter and the cap on {@code Retry-After} for what waits on them.
 */
public record Backoff(Duration base, Duration cap, Jitter jitter, Duration retryAfterCap) {

    /** No bound on the wait a server asks for: the caller decides itself whether to wait that long. */
    public static final Duration RETRY_AFTER_UNCAPPED = Duration.ofSeconds(Long.MAX_VALUE);

    /** How the wait is drawn below the ceiling. */
    public enum Jitter {
        /** Anywhere from 0 to the ceiling: spreads many callers retrying the same server the widest. */
        FULL,
        /** From half the ceiling to the ceiling: never retries at once, so a short outage is not hit again. */
        EQUAL
    }

    /** The wait before retry number {@code retry} (0 for the first retry). */
    public Duration delay(int retry, OptionalLong retryAfterSeconds) {
        return delay(retry, retryAfterSeconds, ThreadLocalRandom.current());
    }

    Duration delay(int retry, OptionalLong retryAfterSeconds, RandomGenerator random) {
        if (retryAfterSeconds.isPresent()) {
            // a negative Retry-After asks for no wait at all
            Duration asked = Duration.ofSeconds(Math.max(0, retryAfterSeconds.getAsLong()));
            return asked.compareTo(retryAfterCap) > 0 ? retryAfterCap : asked;
        }
        long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(retry, 20));
        return Duration.ofMillis(
                switch (jitter) {
                    case FULL -> random.nextLong(ceiling + 1);
                    case EQUAL -> ceiling / 2 + random.nextLong(ceiling / 2 + 1);
                });
    }
}
