package dev.codelab.gateway.ws;

import java.util.Optional;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Who owns a session, as far as this gateway has seen (sessions created or opened through it), kept in Redis.
 * Only the unauthenticated compatibility mode reads it ({@code GATEWAY__WS_AUTH_REQUIRED=false}): a socket
 * without a token acts as the owner of the session it names, and a session nobody was seen owning is refused.
 */
public final class SessionOwners {

    private static final long TTL_SECONDS = 30L * 24 * 3600;

    private final JedisPooled redis;

    public SessionOwners(JedisPooled redis) {
        this.redis = redis;
    }

    public void remember(String sessionId, String userId) {
        try {
            redis.setex(key(sessionId), TTL_SECONDS, userId);
        } catch (JedisException e) {
            // Best effort: only the anonymous compatibility mode needs it, and it then refuses the socket.
        }
    }

    public void forget(String sessionId) {
        try {
            redis.del(key(sessionId));
        } catch (JedisException e) {
            // The record expires on its own.
        }
    }

    public Optional<String> ownerOf(String sessionId) {
        try {
            return Optional.ofNullable(redis.get(key(sessionId)));
        } catch (JedisException e) {
            return Optional.empty();
        }
    }

    private static String key(String sessionId) {
        return "gw:session-owner:" + sessionId;
    }
}
