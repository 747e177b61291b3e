package dev.codelab.gateway.ws;

import java.time.Duration;
import java.util.List;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Open sockets per user, shared by all gateway replicas: a Redis sorted set per user whose members are
 * connection ids scored by their last heartbeat, so the entries of a crashed replica age out instead of
 * blocking the user forever.
 */
final class ConnectionLimits {

    private static final String RESERVE = """
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
            if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
            redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
            redis.call('PEXPIRE', KEYS[1], ARGV[5])
            return 1
            """;

    private final JedisPooled redis;
    private final int maxPerUser;
    private final Duration staleAfter;
    private final boolean failOpen;

    /** @param staleAfter an entry without a heartbeat for this long no longer counts */
    ConnectionLimits(JedisPooled redis, int maxPerUser, Duration staleAfter, boolean failOpen) {
        this.redis = redis;
        this.maxPerUser = maxPerUser;
        this.staleAfter = staleAfter;
        this.failOpen = failOpen;
    }

    /** Counts the connection against the user's limit; {@code false} when the user is at the limit. */
    boolean reserve(String userId, String connectionId) {
        long now = System.currentTimeMillis();
        try {
            Object result = redis.eval(
                    RESERVE,
                    List.of(key(userId)),
                    List.of(
                            String.valueOf(now - staleAfter.toMillis()),
                            String.valueOf(now),
                            String.valueOf(maxPerUser),
                            connectionId,
                            String.valueOf(staleAfter.toMillis() * 2)));
            return Long.valueOf(1).equals(result);
        } catch (JedisException e) {
            return failOpen;
        }
    }

    /** Refreshes the entries of the admitted connections, in one pipelined round trip. */
    void heartbeat(List<Admission> connections) {
        long now = System.currentTimeMillis();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (Admission connection : connections) {
                pipeline.zadd(key(connection.userId()), now, connection.connectionId());
                pipeline.pexpire(key(connection.userId()), staleAfter.toMillis() * 2);
            }
        } catch (JedisException e) {
            // The next heartbeat tries again; a missed one only makes the entry age out sooner.
        }
    }

    void release(String userId, String connectionId) {
        try {
            redis.zrem(key(userId), connectionId);
        } catch (JedisException e) {
            // The entry ages out.
        }
    }

    private static String key(String userId) {
        return "gw:ws:conns:" + userId;
    }
}
