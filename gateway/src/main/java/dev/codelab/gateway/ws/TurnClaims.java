package dev.codelab.gateway.ws;

import dev.codelab.shared.http.Json;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Which gateway replica runs a session's turn, shared through Redis, so that a socket of the session on any
 * replica can tell whether a turn runs elsewhere (a {@code user_message} then collides), stop it ({@code cancel}),
 * wait for it to end before starting the next one, and notice when its replica died.
 *
 * <p>The record {@code gw:ws:turn:{session}} is {@code "<state> <replica> <token>"}: {@code running} while the turn
 * streams, {@code winding} once its {@code done} is stored (the outbox flips it in the same Lua call), {@code cancel}
 * once a socket on another replica asked to stop it. Its owner deletes it when the turn has ended and tells the
 * replica holding the session's socket ({@code e}). A record whose replica no longer refreshes {@code gw:replica:{id}}
 * ({@link ReplicaHeartbeat}) belongs to a dead replica: whoever finds it first takes it over and, in the same call,
 * ends the turn for the client ({@code error} + {@code done error}, or {@code done cancelled} for a turn being
 * cancelled).
 */
final class TurnClaims {

    /** Only a backstop against records nobody deletes; a live owner deletes its record when the turn ends. */
    private static final Duration RECORD_TTL = Duration.ofHours(24);

    private static final String INTERRUPTED = Outbox.FUNCTIONS + """
            local function interrupted(state)
              if state == 'running' then
                append(ARGV[8], false)
                append(ARGV[9], false)
              elseif state == 'cancel' then
                append(ARGV[10], false)
              end
            end
            """;
    private static final String CLAIM = INTERRUPTED + """
            local state, owner = parse(redis.call('GET', KEYS[3]))
            local answer = 1
            if state and owner ~= ARGV[5] then
              if alive(owner) then return 0 end
              interrupted(state)
              answer = 2
            end
            redis.call('SET', KEYS[3], 'running ' .. ARGV[5] .. ' ' .. ARGV[7], 'EX', ARGV[11])
            return answer
            """;
    private static final String TAKE_OVER = INTERRUPTED + """
            local state, owner = parse(redis.call('GET', KEYS[3]))
            if not state or owner == ARGV[5] or alive(owner) then return 0 end
            redis.call('DEL', KEYS[3])
            interrupted(state)
            tell(socketReplica(), 'e' .. ARGV[4])
            return 1
            """;
    private static final String RELEASE = Outbox.FUNCTIONS + """
            local state, owner, token = parse(redis.call('GET', KEYS[3]))
            if not state or owner ~= ARGV[5] or token ~= ARGV[7] then return 1 end
            if state == 'cancel' and ARGV[8] == '0' then
              redis.call('SET', KEYS[3], 'winding ' .. owner .. ' ' .. token, 'KEEPTTL')
              return 2
            end
            redis.call('DEL', KEYS[3])
            tell(socketReplica(), 'e' .. ARGV[4])
            return 1
            """;
    private static final String REQUEST_CANCEL = Outbox.FUNCTIONS + """
            local state, owner, token = parse(redis.call('GET', KEYS[3]))
            if not state or owner == ARGV[5] or not alive(owner) then return 0 end
            if state == 'running' then
              redis.call('SET', KEYS[3], 'cancel ' .. owner .. ' ' .. token, 'KEEPTTL')
              tell(owner, 'c' .. ARGV[4] .. ' ' .. token)
              return 1
            end
            if state == 'cancel' then return 2 end
            return 0
            """;

    private static final System.Logger LOG = System.getLogger(TurnClaims.class.getName());

    private final Outbox outbox;
    private final JedisPooled redis;
    private final String replicaId;
    private final AtomicLong tokens = new AtomicLong();
    /** Records whose release failed (Redis unavailable), by session: retried until Redis answers. */
    private final Map<String, String> unreleased = new ConcurrentHashMap<>();

    private final String interruptedError = Json.write(FrameError.of(
                    FrameError.AGENT_ERROR,
                    "The turn was interrupted: the server running it stopped. Send your message again.")
            .toJson());
    private final String doneError = Json.write(AgentStreamPipe.done("error"));
    private final String doneCancelled = Json.write(AgentStreamPipe.done("cancelled"));

    TurnClaims(Outbox outbox, JedisPooled redis, String replicaId) {
        this.outbox = outbox;
        this.redis = redis;
        this.replicaId = replicaId;
    }

    /** A token no other turn of any replica has. */
    String newToken() {
        return replicaId + "." + tokens.incrementAndGet();
    }

    /** What ending a turn found. */
    enum Release {
        RELEASED,
        /** A socket on another replica asked to cancel the turn and the turn did not answer that: carry it out. */
        CANCEL_PENDING
    }

    /** What asking another replica to stop the session's turn did. */
    enum RemoteCancel {
        /** Another replica's turn was running: it stops and its {@code done cancelled} answers the cancel. */
        REQUESTED,
        /** That turn is already being cancelled: its {@code done} answers this cancel too. */
        ALREADY_REQUESTED,
        /** No turn of another live replica is running (or Redis cannot say): the cancel is for this replica. */
        NONE
    }

    /** What trying to record a turn found. */
    enum Claim {
        /** A live replica runs a turn of the session. */
        BUSY,
        RECORDED,
        /** Recorded after ending a dead replica's turn for the client (frames were stored). */
        RECORDED_AFTER_TAKE_OVER
    }

    /**
     * Records the turn as this replica's unless a live replica runs one; a dead replica's turn is taken over.
     *
     * @throws JedisException when Redis is unavailable
     */
    Claim tryClaim(String sessionId, String token, long floor) {
        long answer = (Long) outbox.run(
                CLAIM,
                sessionId,
                floor,
                token,
                interruptedError,
                doneError,
                doneCancelled,
                String.valueOf(RECORD_TTL.toSeconds()));
        return Claim.values()[(int) answer];
    }

    /**
     * Deletes this replica's record of the turn, unless a cancel from another replica waits that the turn did not
     * answer ({@code answered}: it ended cancelled, or only carried a cancel): then the record stays (as
     * {@code winding}) for the caller to carry the cancel out and release again. When Redis is unavailable the
     * release is retried by {@link #retryReleases()}, so that other replicas do not wait for the record forever.
     */
    Release release(String sessionId, String token, boolean answered) {
        try {
            return (Long) outbox.run(RELEASE, sessionId, 0, token, answered ? "1" : "0") == 2
                    ? Release.CANCEL_PENDING
                    : Release.RELEASED;
        } catch (JedisException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "Cannot release the turn record of session " + sessionId + " (retrying): " + e.getMessage());
            unreleased.put(sessionId, token);
            return Release.RELEASED;
        }
    }

    /** Releases again what could not be released (a newer turn's record is left alone: its token differs). */
    void retryReleases() {
        unreleased.forEach((sessionId, token) -> {
            try {
                outbox.run(RELEASE, sessionId, 0, token, "1");
                unreleased.remove(sessionId, token);
            } catch (JedisException e) {
                // still unavailable; next round
            }
        });
    }

    /** Asks the replica running the session's turn to stop it. */
    RemoteCancel requestCancel(String sessionId) {
        try {
            long answer = (Long) outbox.run(REQUEST_CANCEL, sessionId, 0);
            return answer == 1
                    ? RemoteCancel.REQUESTED
                    : answer == 2 ? RemoteCancel.ALREADY_REQUESTED : RemoteCancel.NONE;
        } catch (JedisException e) {
            return RemoteCancel.NONE;
        }
    }

    /** Ends a dead replica's turn for the client; whether there was one (false when Redis cannot say). */
    boolean takeOverIfOwnerDied(String sessionId, long floor) {
        try {
            return (Long) outbox.run(TAKE_OVER, sessionId, floor, "-", interruptedError, doneError, doneCancelled) == 1;
        } catch (JedisException e) {
            return false;
        }
    }

    /**
     * Of {@code sessionIds}, those whose turn is recorded by another replica: the only ones whose turn a dead replica
     * can have left running, for {@link #takeOverIfOwnerDied}. The records are read in pipelined batches, so that
     * checking every session of a replica holding thousands of sockets takes a few round trips, not a script each;
     * what Redis cannot answer is left out.
     */
    Set<String> recordedElsewhere(List<String> sessionIds) {
        Set<String> found = new HashSet<>();
        try {
            for (List<String> batch : RedisBatches.of(sessionIds)) {
                List<Response<String>> records = new ArrayList<>(batch.size());
                try (AbstractPipeline pipeline = redis.pipelined()) {
                    batch.forEach(sessionId -> records.add(pipeline.get(key(sessionId))));
                    pipeline.sync();
                }
                for (int i = 0; i < batch.size(); i++) {
                    String record = records.get(i).get();
                    if (record != null && !ownedHere(record)) {
                        found.add(batch.get(i));
                    }
                }
            }
        } catch (JedisException e) {
            LOG.log(Level.DEBUG, "Turn records not read: " + e.getMessage());
        }
        return found;
    }

    /** Whether a record ({@code "<state> <replica> <token>"}) is this replica's. */
    private boolean ownedHere(String record) {
        String[] fields = record.split(" ", 3);
        return fields.length > 1 && fields[1].equals(replicaId);
    }

    static String key(String sessionId) {
        return "gw:ws:turn:" + sessionId;
    }
}
