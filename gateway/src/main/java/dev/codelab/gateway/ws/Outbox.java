package dev.codelab.gateway.ws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Every server frame of a session, numbered: a Redis counter gives the next {@code seq}, and the frame goes into a
 * Redis stream under the entry id {@code <seq>-0} (capped, expiring), which is what a reconnecting client's
 * {@code last_seq} replays from. When the session's socket is on another replica ({@link SocketEvents} records
 * where), the frame is also published to that replica's channel ({@link LiveFeed}); the caller hands it to a socket
 * of its own. Numbering, storing and publishing are one Lua call, so they cannot drift apart and a replica's
 * channel carries each session's frames in {@code seq} order.
 *
 * <p>Appends are group-committed: the caller that finds no pipeline in flight sends every append waiting at that
 * moment in one Redis pipeline (its own first among them), and keeps doing so while more wait; the others wait for
 * their own frame's seq. Under load a round trip carries many frames instead of one frame per round trip and
 * pooled connection (which capped the streaming throughput); with nothing else waiting a frame goes to Redis on
 * the emitting thread itself, without the two thread hand-offs of a dedicated writer (issue #20).
 *
 * <p>Each append carries a floor, the highest seq the replica has seen for the session: after Redis lost its
 * data (a restart without persistence) the counter continues above it, so clients never see seq go backwards.
 */
final class Outbox implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Outbox.class.getName());
    /** The counter lives much longer than the frames, so that seq keeps increasing for a session. */
    private static final long COUNTER_TTL_SECONDS = 30L * 24 * 3600;

    private static final int MAX_BATCH = 256;

    /**
     * Lua shared by every script that touches a session's frames or turn. Keys: counter, stream, turn record, socket
     * record. Arguments: stream cap, stream TTL, counter TTL, session id, this replica's id, seq floor, then the
     * script's own. {@code tell} publishes to another replica's channel.
     * A turn record is {@code "<state> <replica> <token>"} ({@link TurnClaims}); the last frame of a turn (its
     * {@code done}, or a refusal that ends it without one) appended by the replica whose turn is {@code running}
     * marks it {@code winding}, in the same call.
     */
    static final String FUNCTIONS = """
            local function parse(turn)
              if not turn then return nil end
              return string.match(turn, '^(%S+) (%S+) (%S+)$')
            end
            local function tell(replica, message)
              if replica and replica ~= ARGV[5] then
                redis.call('PUBLISH', 'gw:ws:replica:' .. replica, message)
              end
            end
            local function socketReplica()
              local socket = redis.call('GET', KEYS[4])
              if not socket then return nil end
              return string.match(socket, '^(%S+) ')
            end
            local function append(json, last)
              local seq = redis.call('INCR', KEYS[1])
              local floor = tonumber(ARGV[6])
              if seq <= floor then
                seq = floor + 1
                redis.call('SET', KEYS[1], string.format('%d', seq))
              end
              redis.call('EXPIRE', KEYS[1], ARGV[3])
              local id = string.format('%d', seq)
              redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], id .. '-0', 'f', json)
              redis.call('EXPIRE', KEYS[2], ARGV[2])
              tell(socketReplica(), 'f' .. ARGV[4] .. ' ' .. id .. ' ' .. json)
              if last then
                local state, owner, token = parse(redis.call('GET', KEYS[3]))
                if state == 'running' and owner == ARGV[5] then
                  redis.call('SET', KEYS[3], 'winding ' .. owner .. ' ' .. token, 'KEEPTTL')
                end
              end
              return seq
            end
            local function alive(replica)
              return redis.call('EXISTS', 'gw:replica:' .. replica) == 1
            end
            """;

    private static final LuaScript APPEND = new LuaScript(FUNCTIONS + "return append(ARGV[7], ARGV[8] == '1')");
    private static final String APPEND_IF_TURN_RUNS_ELSEWHERE = FUNCTIONS + """
            local state, owner = parse(redis.call('GET', KEYS[3]))
            if state == 'running' and owner ~= ARGV[5] and alive(owner) then
              return append(ARGV[7], false)
            end
            return 0
            """;
    private static final String COUNTER_AT_LEAST = """
            local seq = tonumber(redis.call('GET', KEYS[1]) or '0')
            if seq < tonumber(ARGV[1]) then
              seq = tonumber(ARGV[1])
              redis.call('SET', KEYS[1], string.format('%d', seq), 'EX', ARGV[2])
            end
            return seq
            """;

    private final AtomicLong lastWarningMillis = new AtomicLong();
    private final Queue<Append> pending = new ConcurrentLinkedQueue<>();
    /** Whether a caller is sending a pipeline; only that one takes appends off {@link #pending}. */
    private final AtomicBoolean writing = new AtomicBoolean();

    private final JedisPooled redis;
    private final String replicaId;
    private final List<String> limits;
    private volatile boolean closed;

    Outbox(JedisPooled redis, String replicaId, int maxFrames, Duration ttl) {
        this.redis = redis;
        this.replicaId = replicaId;
        this.limits = List.of(
                String.valueOf(maxFrames), String.valueOf(ttl.toSeconds()), String.valueOf(COUNTER_TTL_SECONDS));
    }

    /**
     * Stores the frame (JSON without {@code seq}), publishes it to the replica holding the session's socket if that
     * is another one, and returns its seq; empty when Redis is unavailable or the outbox closed (then nothing was
     * published either).
     *
     * @param floor    the highest seq this replica has seen for the session
     * @param endsTurn the frame is the last of this replica's running turn
     */
    OptionalLong append(String sessionId, String json, long floor, boolean endsTurn) {
        Append append = new Append(
                sessionId, arguments(sessionId, floor, json, endsTurn ? "1" : "0"), new CompletableFuture<>());
        pending.add(append);
        if (closed) {
            failPending();
        }
        writeWhileWaiting(append);
        return append.seq().join();
    }

    /**
     * Stores and publishes the frame only while a live replica other than this one runs a turn of the session that
     * has not sent its {@code done}; empty when it was not stored (no such turn, or Redis cannot say).
     */
    OptionalLong appendIfTurnRunsElsewhere(String sessionId, String json, long floor) {
        try {
            long seq = (Long) run(APPEND_IF_TURN_RUNS_ELSEWHERE, sessionId, floor, json);
            return seq > 0 ? OptionalLong.of(seq) : OptionalLong.empty();
        } catch (JedisException e) {
            warn("Outbox unavailable, cannot tell whether another replica runs a turn: " + e.getMessage());
            return OptionalLong.empty();
        }
    }

    /**
     * Runs a script written against {@link #FUNCTIONS} with the session's keys and the common arguments, then
     * {@code extra}. Throws what Redis throws.
     */
    Object run(String script, String sessionId, long floor, String... extra) {
        return redis.eval(script, keys(sessionId), arguments(sessionId, floor, extra));
    }

    /**
     * The session's counter, first raised to {@code atLeast} (a client's {@code last_seq}) if it is lower, so that
     * the next frame is numbered above anything the client has seen; empty when Redis is unavailable.
     */
    OptionalLong counterAtLeast(String sessionId, long atLeast) {
        try {
            // Lua counts in doubles: beyond 2^53 a client's last_seq could not be raised to exactly.
            Object seq = redis.eval(
                    COUNTER_AT_LEAST,
                    List.of(counterKey(sessionId)),
                    List.of(String.valueOf(Math.min(atLeast, 1L << 53)), String.valueOf(COUNTER_TTL_SECONDS)));
            return OptionalLong.of((Long) seq);
        } catch (JedisException e) {
            warn("Outbox unavailable, cannot read the seq of session " + sessionId + ": " + e.getMessage());
            return OptionalLong.empty();
        }
    }

    /**
     * The sessions' counters, in one pipelined round trip: no frame of a session is stored above its counter (0 when
     * it has none); {@link Long#MAX_VALUE} for each when Redis is unavailable, as it cannot say.
     */
    long[] counters(List<String> sessionIds) {
        long[] counters = new long[sessionIds.size()];
        List<Response<String>> answers = new ArrayList<>(sessionIds.size());
        try (Pipeline pipeline = redis.pipelined()) {
            for (String sessionId : sessionIds) {
                answers.add(pipeline.get(counterKey(sessionId)));
            }
            pipeline.sync();
            for (int i = 0; i < counters.length; i++) {
                String counter = answers.get(i).get();
                counters[i] = counter == null ? 0 : Long.parseLong(counter);
            }
        } catch (JedisException e) {
            warn("Outbox unavailable, cannot read the seq of " + sessionIds.size() + " sessions: " + e.getMessage());
            Arrays.fill(counters, Long.MAX_VALUE);
        }
        return counters;
    }

    /** The stored frames with {@code after < seq < before}, oldest first; empty when Redis is unavailable. */
    List<Stored> range(String sessionId, long after, long before) {
        List<Stored> frames = new ArrayList<>();
        if (before <= after + 1) {
            return frames;
        }
        try {
            String end = before == Long.MAX_VALUE ? "+" : (before - 1) + "-0";
            for (StreamEntry entry : redis.xrange(streamKey(sessionId), (after + 1) + "-0", end)) {
                String json = entry.getFields().get("f");
                if (json != null) {
                    frames.add(new Stored(entry.getID().getTime(), json));
                }
            }
        } catch (JedisException e) {
            warn("Outbox unavailable, cannot read the stored frames of session " + sessionId + ": " + e.getMessage());
        }
        return frames;
    }

    /** Appends still waiting (and any later ones) get no seq from Redis. */
    @Override
    public void close() {
        closed = true;
        failPending();
    }

    /**
     * Sends what waits, unless another caller is sending: that one looks at {@link #pending} again after it let go,
     * so an append queued while it was sending is never left behind. A caller whose own frame is stored hands what
     * arrived meanwhile to a writer thread of the moment and gets on with its own stream.
     *
     * @param own the caller's append, or {@code null} for that writer thread (which writes until nothing waits)
     */
    private void writeWhileWaiting(Append own) {
        while (!pending.isEmpty() && writing.compareAndSet(false, true)) {
            try {
                List<Append> batch = new ArrayList<>();
                for (Append next; batch.size() < MAX_BATCH && (next = pending.poll()) != null; ) {
                    batch.add(next);
                }
                try {
                    store(batch);
                } catch (RuntimeException e) {
                    // no caller may wait forever for a seq (what was stored has its seq already), nor the next ones
                    LOG.log(System.Logger.Level.ERROR, "Storing frames in the outbox failed", e);
                    batch.forEach(Append::fail);
                }
            } finally {
                writing.set(false);
            }
            if (own != null && own.seq().isDone() && !pending.isEmpty()) {
                Thread.ofVirtual().name("ws-outbox-writer").start(() -> writeWhileWaiting(null));
                return;
            }
        }
    }

    /**
     * One pipeline for the batch. The script goes by its SHA; when Redis does not know it (after a restart), the
     * appends it refused go again with the whole script (one session has at most one append in a batch, since its
     * emitter waits for each seq, so this cannot reorder a session's frames).
     */
    private void store(List<Append> batch) {
        if (closed) {
            batch.forEach(Append::fail);
            return;
        }
        List<Append> unknownScript = storeOnce(batch, false);
        if (!unknownScript.isEmpty()) {
            storeOnce(unknownScript, true);
        }
    }

    private List<Append> storeOnce(List<Append> batch, boolean withText) {
        List<Response<Object>> answers = new ArrayList<>(batch.size());
        try (Pipeline pipeline = redis.pipelined()) {
            for (Append append : batch) {
                List<String> keys = keys(append.sessionId());
                answers.add(
                        withText
                                ? pipeline.eval(APPEND.text(), keys, append.arguments())
                                : pipeline.evalsha(APPEND.sha(), keys, append.arguments()));
            }
            pipeline.sync();
        } catch (JedisException e) {
            warn("Outbox unavailable, frames are not stored for replay: " + e.getMessage());
            batch.forEach(Append::fail);
            return List.of();
        }
        List<Append> unknownScript = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            try {
                batch.get(i).seq().complete(OptionalLong.of((Long)
                        answers.get(i).get()));
            } catch (JedisNoScriptException e) {
                unknownScript.add(batch.get(i));
            } catch (JedisException e) {
                warn("Outbox refused a frame, it is not stored for replay: " + e.getMessage());
                batch.get(i).fail();
            }
        }
        return unknownScript;
    }

    private void failPending() {
        for (Append append = pending.poll(); append != null; append = pending.poll()) {
            append.fail();
        }
    }

    private List<String> arguments(String sessionId, long floor, String... extra) {
        List<String> args = new ArrayList<>(limits.size() + 3 + extra.length);
        args.addAll(limits);
        args.add(sessionId);
        args.add(replicaId);
        args.add(String.valueOf(floor));
        args.addAll(List.of(extra));
        return args;
    }

    /** Logs at most once a minute: with Redis down every frame would fail. */
    private void warn(String message) {
        long now = System.currentTimeMillis();
        long last = lastWarningMillis.get();
        if (now - last >= 60_000 && lastWarningMillis.compareAndSet(last, now)) {
            LOG.log(System.Logger.Level.WARNING, message);
        }
    }

    /** A stored frame: its seq and its JSON without {@code seq}. */
    record Stored(long seq, String json) {}

    private record Append(String sessionId, List<String> arguments, CompletableFuture<OptionalLong> seq) {

        /** No seq for this frame (nothing happens when it has one already). */
        void fail() {
            seq.complete(OptionalLong.empty());
        }
    }

    private static List<String> keys(String sessionId) {
        return List.of(
                counterKey(sessionId), streamKey(sessionId), TurnClaims.key(sessionId), SocketEvents.key(sessionId));
    }

    private static String counterKey(String sessionId) {
        return "gw:ws:seq:" + sessionId;
    }

    private static String streamKey(String sessionId) {
        return "gw:ws:outbox:" + sessionId;
    }
}
