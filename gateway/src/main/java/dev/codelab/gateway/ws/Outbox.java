package dev.codelab.gateway.ws;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.shared.http.Json;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Every server frame of a session, numbered: a Redis counter gives the next {@code seq}, and the frame goes
 * into a Redis stream under the entry id {@code <seq>-0} (capped, expiring), which is what a reconnecting
 * client's {@code last_seq} replays from. Numbering and storing are one Lua call, so they cannot drift apart.
 */
final class Outbox {

    private static final System.Logger LOG = System.getLogger(Outbox.class.getName());
    /** The counter lives much longer than the frames, so that seq keeps increasing for a session. */
    private static final long COUNTER_TTL_SECONDS = 30L * 24 * 3600;
    private static final String APPEND = """
            local seq = redis.call('INCR', KEYS[1])
            redis.call('EXPIRE', KEYS[1], ARGV[4])
            redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], seq .. '-0', 'f', ARGV[1])
            redis.call('EXPIRE', KEYS[2], ARGV[3])
            return seq
            """;

    private final AtomicLong lastWarningMillis = new AtomicLong();
    private final JedisPooled redis;
    private final int maxFrames;
    private final Duration ttl;

    Outbox(JedisPooled redis, int maxFrames, Duration ttl) {
        this.redis = redis;
        this.maxFrames = maxFrames;
        this.ttl = ttl;
    }

    /** Stores the frame (without {@code seq}) and returns its seq; empty when Redis is unavailable. */
    OptionalLong append(String sessionId, ObjectNode frame) {
        try {
            Object seq = redis.eval(APPEND, List.of(counterKey(sessionId), streamKey(sessionId)),
                    List.of(Json.write(frame), String.valueOf(maxFrames), String.valueOf(ttl.toSeconds()),
                            String.valueOf(COUNTER_TTL_SECONDS)));
            return OptionalLong.of((Long) seq);
        } catch (JedisException e) {
            warn("Outbox unavailable, frames are not stored for replay: " + e.getMessage());
            return OptionalLong.empty();
        }
    }

    /** The stored frames with {@code seq > lastSeq}, oldest first, each with its {@code seq}. */
    List<ObjectNode> since(String sessionId, long lastSeq) {
        List<ObjectNode> frames = new ArrayList<>();
        try {
            for (StreamEntry entry : redis.xrange(streamKey(sessionId), (lastSeq + 1) + "-0", "+")) {
                JsonNode node = Json.read(entry.getFields().get("f"));
                if (node instanceof ObjectNode frame) {
                    frame.put("seq", entry.getID().getTime());
                    frames.add(frame);
                }
            }
        } catch (JedisException | IOException e) {
            warn("Outbox unavailable, cannot replay session " + sessionId + ": " + e.getMessage());
        }
        return frames;
    }

    /** Logs at most once a minute: with Redis down every frame would fail. */
    private void warn(String message) {
        long now = System.currentTimeMillis();
        long last = lastWarningMillis.get();
        if (now - last >= 60_000 && lastWarningMillis.compareAndSet(last, now)) {
            LOG.log(System.Logger.Level.WARNING, message);
        }
    }

    private static String counterKey(String sessionId) {
        return "gw:ws:seq:" + sessionId;
    }

    private static String streamKey(String sessionId) {
        return "gw:ws:outbox:" + sessionId;
    }
}
