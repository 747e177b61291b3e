package dev.codelab.gateway.ws;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.shared.http.Json;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Every server frame of a session, numbered: a Redis counter gives the next {@code seq}, and the frame goes
 * into a Redis stream under the entry id {@code <seq>-0} (capped, expiring), which is what a reconnecting
 * client's {@code last_seq} replays from. Numbering and storing are one Lua call, so they cannot drift apart.
 *
 * <p>Appends are group-committed: one writer thread sends every append waiting at that moment in one Redis
 * pipeline, and each caller waits for its own frame's seq. Under load a round trip carries many frames instead
 * of one frame per round trip and pooled connection (which capped the streaming throughput), and a frame still
 * leaves only after it is stored.
 */
final class Outbox implements AutoCloseable {

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

    private static final int MAX_BATCH = 256;

    private final AtomicLong lastWarningMillis = new AtomicLong();
    private final BlockingQueue<Append> pending = new LinkedBlockingQueue<>();
    private final JedisPooled redis;
    private final List<String> limits;
    private final Thread writer;
    private volatile boolean closed;

    Outbox(JedisPooled redis, int maxFrames, Duration ttl) {
        this.redis = redis;
        this.limits = List.of(String.valueOf(maxFrames), String.valueOf(ttl.toSeconds()), String.valueOf(COUNTER_TTL_SECONDS));
        this.writer = Thread.ofVirtual().name("ws-outbox-writer").start(this::writeLoop);
    }

    /** Stores the frame (without {@code seq}) and returns its seq; empty when Redis is unavailable or closed. */
    OptionalLong append(String sessionId, ObjectNode frame) {
        Append append = new Append(sessionId, Json.write(frame), new CompletableFuture<>());
        pending.add(append);
        if (closed) {
            failPending();
        }
        return append.seq().join();
    }

    /** Stops the writer; appends still waiting (and any later ones) get no seq from Redis. */
    @Override
    public void close() {
        closed = true;
        writer.interrupt();
        failPending();
    }

    private void writeLoop() {
        List<Append> batch = new ArrayList<>();
        try {
            while (!closed) {
                batch.add(pending.take());
                pending.drainTo(batch, MAX_BATCH - 1);
                store(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closed = true;
            batch.forEach(Append::fail);
            failPending();
        }
    }

    private void store(List<Append> batch) {
        List<Response<Object>> answers = new ArrayList<>(batch.size());
        try (Pipeline pipeline = redis.pipelined()) {
            for (Append append : batch) {
                List<String> args = new ArrayList<>(4);
                args.add(append.json());
                args.addAll(limits);
                answers.add(pipeline.eval(APPEND, List.of(counterKey(append.sessionId()), streamKey(append.sessionId())), args));
            }
            pipeline.sync();
        } catch (JedisException e) {
            warn("Outbox unavailable, frames are not stored for replay: " + e.getMessage());
            batch.forEach(Append::fail);
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            try {
                batch.get(i).seq().complete(OptionalLong.of((Long) answers.get(i).get()));
            } catch (JedisException e) {
                warn("Outbox refused a frame, it is not stored for replay: " + e.getMessage());
                batch.get(i).fail();
            }
        }
    }

    private void failPending() {
        for (Append append = pending.poll(); append != null; append = pending.poll()) {
            append.fail();
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

    private record Append(String sessionId, String json, CompletableFuture<OptionalLong> seq) {

        void fail() {
            seq.complete(OptionalLong.empty());
        }
    }

    private static String counterKey(String sessionId) {
        return "gw:ws:seq:" + sessionId;
    }

    private static String streamKey(String sessionId) {
        return "gw:ws:outbox:" + sessionId;
    }
}
