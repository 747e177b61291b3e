package dev.codelab.auth.abuse;

import dev.codelab.shared.ratelimit.RateLimiter;
import java.util.Locale;
import java.util.OptionalLong;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * The token endpoint's abuse limits, counted in Redis so every replica sees the same numbers:
 * requests per client IP (per minute), password attempts per username (per hour), and failed-password
 * counters per username and per IP whose window starts at the first failure. Usernames are counted
 * case-insensitively, so {@code Admin} and {@code admin} share a counter.
 */
public final class AbuseGuard {

    private static final int IP_WINDOW_SECONDS = 60;
    private static final int USERNAME_WINDOW_SECONDS = 3600;

    private final RateLimiter limiter;
    private final JedisPooled redis;
    private final Limits limits;
    private final String prefix;

    /**
     * @param perIp             token requests per IP per minute
     * @param perUsername       password attempts per username per hour
     * @param failureThreshold  failed passwords that lock a username (an IP locks at twice this)
     * @param lockoutSeconds    the failure window and so the longest lockout
     */
    public record Limits(int perIp, int perUsername, int failureThreshold, int lockoutSeconds) {}

    public AbuseGuard(JedisPooled redis, boolean failOpen, Limits limits, String keyPrefix) {
        this.redis = redis;
        this.limiter = new RateLimiter(redis, failOpen);
        this.limits = limits;
        this.prefix = keyPrefix;
    }

    public RateLimiter.Decision hitIp(String ip) {
        return limiter.hit(prefix + "rate_limit:ip:" + ip, limits.perIp(), IP_WINDOW_SECONDS);
    }

    public RateLimiter.Decision hitUsername(String username) {
        return limiter.hit(
                prefix + "rate_limit:username:" + normal(username), limits.perUsername(), USERNAME_WINDOW_SECONDS);
    }

    /** Seconds left on a lockout of this username or IP, or empty when neither is locked. */
    public OptionalLong lockedFor(String username, String ip) {
        String userKey = usernameFailures(username);
        if (limiter.count(userKey) >= limits.failureThreshold()) {
            return OptionalLong.of(Math.max(1, limiter.secondsLeft(userKey)));
        }
        String ipKey = ipFailures(ip);
        if (limiter.count(ipKey) >= 2L * limits.failureThreshold()) {
            return OptionalLong.of(Math.max(1, limiter.secondsLeft(ipKey)));
        }
        return OptionalLong.empty();
    }

    /** Counts a failed password; {@code true} when this failure locked the username or the IP. */
    public boolean recordFailure(String username, String ip) {
        RateLimiter.Decision user =
                limiter.hit(usernameFailures(username), limits.failureThreshold(), limits.lockoutSeconds());
        RateLimiter.Decision address =
                limiter.hit(ipFailures(ip), 2 * limits.failureThreshold(), limits.lockoutSeconds());
        return reachedLimit(user) || reachedLimit(address);
    }

    /** A successful login forgets the username's failures (not the IP's: one good account must not reset them). */
    public void clearFailures(String username) {
        limiter.reset(usernameFailures(username));
    }

    /**
     * {@code true} for the first rejection under {@code what} in a window, so a flood of rejected requests
     * writes one audit row, not thousands.
     */
    public boolean firstRejection(String what, long windowSeconds) {
        try {
            return "OK"
                    .equals(redis.set(
                            prefix + "audited:" + what,
                            "1",
                            SetParams.setParams().nx().ex(Math.max(1, windowSeconds))));
        } catch (JedisException e) {
            return false;
        }
    }

    public boolean failOpen() {
        return limiter.failOpen();
    }

    /** Whether Redis answers a PING. */
    public boolean redisReachable() {
        try {
            return "PONG".equals(redis.ping());
        } catch (JedisException e) {
            return false;
        }
    }

    private static boolean reachedLimit(RateLimiter.Decision decision) {
        return decision.allowed() && decision.remaining() == 0 && !decision.redisUnavailable();
    }

    private String usernameFailures(String username) {
        return prefix + "failed_attempts:username:" + normal(username);
    }

    private String ipFailures(String ip) {
        return prefix + "failed_attempts:ip:" + ip;
    }

    private static String normal(String username) {
        return username.toLowerCase(Locale.ROOT);
    }
}
