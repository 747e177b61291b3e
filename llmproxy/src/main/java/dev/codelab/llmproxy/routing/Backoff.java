package dev.codelab.llmproxy.routing;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with full jitter; a provider's {@code Retry-After} wins when it gives one. */
public record Backoff(Duration base, Duration cap) {

    /** The wait before retry number {@code retry} (0 for the first retry). */
    public Duration delay(int retry, OptionalLong retryAfterSeconds) {
        if (retryAfterSeconds.isPresent()) {
            return Duration.ofSeconds(retryAfterSeconds.getAsLong());
        }
        long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(retry, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }
}
