package dev.codelab.gateway.ws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Where a session's socket is: {@code gw:ws:socket:{session}} is {@code "<replica> <epoch>"} of its newest socket.
 * The outbox publishes a session's frames to that replica when it is another one; a new socket takes a larger epoch
 * and tells the previous socket's replica, which closes its socket with 4409; {@code DELETE} tells it to close the
 * socket. Epochs come from Redis's clock and increase strictly per session, so they stay comparable when Redis lost
 * its data in between. A socket refreshes its record with every keep-alive and deletes it when it closes.
 */
final class SocketEvents {

    /** A keep-alive (every 30 s by default) refreshes it long before. */
    private static final Duration RECORD_TTL = Duration.ofHours(1);

    private static final String ATTACHED = """
            local now = redis.call('TIME')
            local epoch = tonumber(now[1]) * 1000000 + tonumber(now[2])
            local old = redis.call('GET', KEYS[1])
            local oldReplica, oldEpoch
            if old then oldReplica, oldEpoch = string.match(old, '^(%S+) (%S+)$') end
            if oldEpoch and epoch <= tonumber(oldEpoch) then epoch = tonumber(oldEpoch) + 1 end
            -- '%d': Lua would write a number this large as 1.79e+15
            local text = string.format('%d', epoch)
            redis.call('SET', KEYS[1], ARGV[2] .. ' ' .. text, 'EX', ARGV[3])
            if oldReplica and oldReplica ~= ARGV[2] then
              redis.call('PUBLISH', 'gw:ws:replica:' .. oldReplica, 'a' .. ARGV[1] .. ' ' .. text)
            end
            return epoch
            """;
    /** Refreshes this socket's record (writing it again if Redis lost it); returns the newest epoch of the session. */
    private static final String STILL_HERE = """
            local mine = ARGV[2] .. ' ' .. ARGV[4]
            local record = redis.call('GET', KEYS[1])
            if not record or record == mine then
              redis.call('SET', KEYS[1], mine, 'EX', ARGV[3])
              return tonumber(ARGV[4])
            end
            return tonumber(string.match(record, ' (%S+)$'))
            """;

    private static final String DETACHED = """
            if redis.call('GET', KEYS[1]) == ARGV[2] .. ' ' .. ARGV[4] then redis.call('DEL', KEYS[1]) end
            return 0
            """;
    private static final String DELETED = """
            local record = redis.call('GET', KEYS[1])
            if record then
              local replica = string.match(record, '^(%S+) ')
              if replica ~= ARGV[2] then redis.call('PUBLISH', 'gw:ws:replica:' .. replica, 'd' .. ARGV[1]) end
            end
            return 0
            """;

    private final JedisPooled redis;
    private final String replicaId;

    /** A socket of a session here, by the epoch it was recorded with. */
    record Held(String sessionId, long epoch) {}

    SocketEvents(JedisPooled redis, String replicaId) {
        this.redis = redis;
        this.replicaId = replicaId;
    }

    /** Records a new socket of the session here; its epoch, empty when Redis is unavailable. */
    OptionalLong attached(String sessionId) {
        try {
            return OptionalLong.of((Long) run(ATTACHED, sessionId, 0));
        } catch (JedisException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Refreshes the records of the sockets, in one pipelined round trip, and returns for each the epoch of its
     * session's newest socket: larger than its own when a newer socket replaced it, its own when Redis cannot say.
     * A socket opened while Redis did not answer has no record (epoch 0), and nothing is known to be newer than it.
     */
    long[] stillHere(List<Held> sockets) {
        long[] newest = sockets.stream().mapToLong(Held::epoch).toArray();
        List<Response<Object>> answers = new ArrayList<>(sockets.size());
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (Held socket : sockets) {
                answers.add(
                        socket.epoch() == 0
                                ? null
                                : pipeline.eval(
                                        STILL_HERE,
                                        List.of(key(socket.sessionId())),
                                        arguments(socket.sessionId(), socket.epoch())));
            }
            pipeline.sync();
            for (int i = 0; i < answers.size(); i++) {
                if (answers.get(i) != null) {
                    newest[i] = (Long) answers.get(i).get();
                }
            }
        } catch (JedisException e) {
            // What Redis did not answer keeps its own epoch: not known to be replaced.
        }
        return newest;
    }

    /** The socket with {@code epoch} closed: its record goes unless a newer socket's replaced it. */
    void detached(String sessionId, long epoch) {
        try {
            run(DETACHED, sessionId, epoch);
        } catch (JedisException e) {
            // The record expires; meanwhile another replica's frames of the session are sent here for nothing.
        }
    }

    /** Tells the replica holding the session's socket, if another one, to close it (the session was deleted). */
    void deleted(String sessionId) {
        try {
            run(DELETED, sessionId, 0);
        } catch (JedisException e) {
            // Then only this replica closes its socket; one elsewhere stays open until it closes.
        }
    }

    private Object run(String script, String sessionId, long epoch) {
        return redis.eval(script, List.of(key(sessionId)), arguments(sessionId, epoch));
    }

    private List<String> arguments(String sessionId, long epoch) {
        return List.of(sessionId, replicaId, String.valueOf(RECORD_TTL.toSeconds()), String.valueOf(epoch));
    }

    static String key(String sessionId) {
        return "gw:ws:socket:" + sessionId;
    }
}
