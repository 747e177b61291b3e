package dev.codelab.gateway.ws;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

/**
 * What a replica tells the others about a session's sockets, on the session's channel ({@link LiveFeed}): a socket
 * attached with an epoch (a replica whose socket of the session has an older epoch closes it with 4409), or the
 * session was deleted (every socket of it closes). Epochs come from Redis's clock and increase strictly per session,
 * so they stay comparable when Redis lost its data in between.
 */
final class SocketEvents {

    private static final Duration EPOCH_TTL = Duration.ofDays(1);
    private static final String ATTACHED = """
            local now = redis.call('TIME')
            local epoch = tonumber(now[1]) * 1000000 + tonumber(now[2])
            local last = tonumber(redis.call('GET', KEYS[1]) or '0')
            if epoch <= last then epoch = last + 1 end
            -- '%d': Lua would write a number this large as 1.79e+15
            local text = string.format('%d', epoch)
            redis.call('SET', KEYS[1], text, 'EX', ARGV[2])
            redis.call('PUBLISH', ARGV[1], 'a' .. text)
            return epoch
            """;

    private final JedisPooled redis;

    SocketEvents(JedisPooled redis) {
        this.redis = redis;
    }

    /** Announces a new socket of the session; its epoch, empty when Redis is unavailable. */
    OptionalLong attached(String sessionId) {
        try {
            return OptionalLong.of((Long) redis.eval(ATTACHED, List.of(key(sessionId)),
                    List.of(Outbox.channel(sessionId), String.valueOf(EPOCH_TTL.toSeconds()))));
        } catch (JedisException e) {
            return OptionalLong.empty();
        }
    }

    /** The epoch of the session's newest socket; 0 when unknown. */
    long newestEpoch(String sessionId) {
        try {
            String epoch = redis.get(key(sessionId));
            return epoch == null ? 0 : Long.parseLong(epoch);
        } catch (JedisException e) {
            return 0;
        }
    }

    /** Tells every replica to close the session's socket (not when Redis is unavailable). */
    void deleted(String sessionId) {
        try {
            redis.publish(Outbox.channel(sessionId), "d");
        } catch (JedisException e) {
            // Then only this replica closes its socket; one elsewhere stays open until it closes.
        }
    }

    private static String key(String sessionId) {
        return "gw:ws:epoch:" + sessionId;
    }
}
