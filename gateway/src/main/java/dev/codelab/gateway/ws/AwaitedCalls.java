package dev.codelab.gateway.ws;

import java.util.Optional;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The tool call ids a session's agent waits on (seen in {@code tool_call} frames, not yet answered), so that
 * a {@code tool_result} or {@code hitl_decision} for any other id is refused with {@code INVALID_CALL_ID}
 * before it reaches the agent. Kept in Redis, so that answers after a reconnect or on another replica work.
 */
final class AwaitedCalls {

    private static final long TTL_SECONDS = 7L * 24 * 3600;

    private final JedisPooled redis;

    AwaitedCalls(JedisPooled redis) {
        this.redis = redis;
    }

    void await(String sessionId, String callId) {
        try {
            redis.sadd(key(sessionId), callId);
            redis.expire(key(sessionId), TTL_SECONDS);
        } catch (JedisException e) {
            // Without the record the answer is passed to the agent, which checks it again.
        }
    }

    void answered(String sessionId, String callId) {
        try {
            redis.srem(key(sessionId), callId);
        } catch (JedisException e) {
            // The stale entry only lets a duplicate answer through to the agent, which refuses it.
        }
    }

    /** Whether the call is awaited; empty when Redis cannot say (then the agent decides). */
    Optional<Boolean> isAwaited(String sessionId, String callId) {
        try {
            return Optional.of(redis.sismember(key(sessionId), callId));
        } catch (JedisException e) {
            return Optional.empty();
        }
    }

    private static String key(String sessionId) {
        return "gw:ws:calls:" + sessionId;
    }
}
