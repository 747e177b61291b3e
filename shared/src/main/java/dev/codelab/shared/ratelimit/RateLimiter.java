package dev.codelab.shared.ratelimit;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Fixed-window counters in Redis, atomic across replicas (one Lua call: INCR, set the window's expiry on the
 * first hit, return count and remaining TTL). When Redis fails the limiter lets requests through
 * (fail-open) or refuses them (fail-closed), and says so in the log at most once a minute.
 */
public final class RateLimiter {

    private static final System.Logger LOG = System.getLogger(RateLimiter.class.getName());
    private static final String SCRIPT = """
            local n = redis.call('INCR', KEYS[1])
            if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
            local ttl = redis.call('TTL', KEYS[1])
            if ttl < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
            return {n, ttl}
            """;

    private final JedisPooled redis;
    private final boolean failOpen;
    private final AtomicLong lastWarning = new AtomicLong();

    public RateLimiter(JedisPooled redis, boolean failOpen) {
        this.redis = redis;
        this.failOpen = failOpen;
    }

    /**
     * Counts one hit on {@code key} in a window of {@code windowSeconds}, allowing {@code limit} hits.
     */
    public Decision hit(String key, int limit, int windowSeconds) {
        try {
            @SuppressWarnings("unchecked")
            List<Long> result = (List<Long>) redis.eval(SCRIPT, List.of(key), List.of(String.valueOf(windowSeconds)));
            long count = result.get(0);
            long ttl = Math.max(1, result.get(1));
            return new Decision(count <= limit, limit, Math.max(0, limit - count), ttl, false);
        } catch (JedisException e) {
            return unavailable(limit, windowSeconds, e);
        }
    }

    /** Reads a counter without counting: how many hits {@code key} holds now, or 0 (also when Redis fails). */
    public long count(String key) {
        try {
            String value = redis.get(key);
            return value == null ? 0 : Long.parseLong(value);
        } catch (JedisException | NumberFormatException e) {
            warn(e);
            return 0;
        }
    }

    /** Seconds until {@code key} expires, or 0 when it does not exist (or Redis fails). */
    public long secondsLeft(String key) {
        try {
            return Math.max(0, redis.ttl(key));
        } catch (JedisException e) {
            warn(e);
            return 0;
        }
    }

    /** Forgets {@code key} (e.g. a failed-login counter after a successful login). */
    public void reset(String key) {
        try {
            redis.del(key);
        } catch (JedisException e) {
            warn(e);
        }
    }

    public boolean failOpen() {
        return failOpen;
    }

    private Decision unavailable(int limit, int windowSeconds, JedisException e) {
        warn(e);
        return new Decision(failOpen, limit, failOpen ? limit : 0, windowSeconds, true);
    }

    private void warn(Exception e) {
        long now = System.currentTimeMillis();
        long last = lastWarning.get();
        if (now - last > 60_000 && lastWarning.compareAndSet(last, now)) {
            LOG.log(
                    Level.WARNING,
                    "Redis unavailable, rate limits fail " + (failOpen ? "open" : "closed") + ": " + e.getMessage());
        }
    }

    /**
     * The outcome of one hit.
     *
     * @param allowed          whether the request may proceed
     * @param limit            the window's allowance
     * @param remaining        hits left in the window
     * @param resetSeconds     seconds until the window ends (the real {@code Retry-After})
     * @param redisUnavailable the decision was made without Redis
     */
    public record Decision(boolean allowed, int limit, long remaining, long resetSeconds, boolean redisUnavailable) {}
}
