package dev.codelab.gateway.ws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.shared.http.Json;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One session on this replica. Server frames emitted here are numbered and stored by the {@link Outbox} (which also
 * publishes them to the replica holding the session's socket, when that is another one) and handed to the session's
 * socket here; frames stored by other replicas arrive through the {@link LiveFeed}. Either way they reach the socket
 * through its {@link FrameSequencer}, in seq order, once. Runs the session's turns one at a time: on this replica
 * with a permit, across replicas through {@link TurnClaims}.
 */
final class SessionChannel {

    private static final System.Logger LOG = System.getLogger(SessionChannel.class.getName());
    /** How often a turn waiting for another replica's turn looks again, should the release message be missed. */
    private static final long RELEASE_RECHECK_MILLIS = 1000;

    private final String sessionId;
    private final Outbox outbox;
    private final TurnClaims claims;
    private final Object lock = new Object();
    private final Semaphore turnPermit = new Semaphore(1, true);
    /** The highest seq seen for the session: the floor of the next one ({@link Outbox}). */
    private final AtomicLong lastSeq = new AtomicLong();

    private final ReentrantLock releaseLock = new ReentrantLock();
    private final Condition released = releaseLock.newCondition();
    private volatile GatewaySocket active;
    private volatile Turn runningTurn;
    /** Sockets and workers using this channel; guarded by the registry's map. */
    int users;

    SessionChannel(String sessionId, Outbox outbox, TurnClaims claims) {
        this.sessionId = sessionId;
        this.outbox = outbox;
        this.claims = claims;
    }

    String sessionId() {
        return sessionId;
    }

    /** Numbers, stores and publishes a server frame; a {@code done} ends the running turn's exchange. */
    void emit(ObjectNode frame) {
        emit(frame, null);
    }

    /**
     * {@link #emit(ObjectNode)} for a frame parsed from {@code text}: when the frame carries no {@code seq}, that text
     * is stored and sent as it is instead of writing the frame again.
     */
    void emit(ObjectNode frame, String text) {
        synchronized (lock) {
            emitLocked(frame, text, "done".equals(frame.path("type").asText()));
        }
    }

    /**
     * Emits a refusal that ends the running turn's exchange without a {@code done} (the agent refused the frame):
     * the client may send its next frame as soon as it has it, like after a {@code done}.
     */
    void emitLast(ObjectNode frame) {
        synchronized (lock) {
            emitLocked(frame, null, true);
        }
    }

    /**
     * Emits {@code rejection} when a new turn may not start: {@code busyHere} holds, or another replica runs a turn
     * of the session that has not sent its {@code done}. Decided under the emit lock and, for the other replica's
     * turn, inside the Lua call that stores the rejection: the {@code done} of the turn it collided with always
     * comes after it.
     *
     * @return whether the rejection was emitted
     */
    boolean emitIfBusy(BooleanSupplier busyHere, ObjectNode rejection) {
        synchronized (lock) {
            if (busyHere.getAsBoolean()) {
                emitLocked(rejection, null, false);
                return true;
            }
            rejection.remove("seq");
            String json = Json.write(rejection);
            OptionalLong seq = outbox.appendIfTurnRunsElsewhere(sessionId, json, lastSeq.get());
            seq.ifPresent(stored -> deliver(stored, json));
            return seq.isPresent();
        }
    }

    private void emitLocked(ObjectNode frame, String text, boolean endsTurn) {
        boolean unchanged = frame.remove("seq") == null && text != null;
        Turn turn = runningTurn;
        if (turn != null && endsTurn) {
            turn.markDoneEmitted();
        }
        String json = unchanged ? text : Json.write(frame);
        OptionalLong seq = outbox.append(sessionId, json, lastSeq.get(), endsTurn);
        if (seq.isPresent()) {
            deliver(seq.getAsLong(), json);
            return;
        }
        // Without Redis the frame is numbered here and sent straight to this replica's socket (no replay).
        frame.put("seq", lastSeq.incrementAndGet());
        GatewaySocket socket = active;
        if (socket != null) {
            socket.deliverUnstored(frame);
        }
    }

    /** Hands a stored frame to the session's socket here, if any. */
    private void deliver(long seq, String json) {
        saw(seq);
        GatewaySocket socket = active;
        if (socket != null) {
            socket.offer(seq, json);
        }
    }

    private void saw(long seq) {
        lastSeq.accumulateAndGet(seq, Math::max);
    }

    /**
     * The sequencer of a socket about to attach: it starts after the client's {@code lastSeq}, or after the newest
     * stored frame when none was given. The session's counter is raised to {@code lastSeq} if lower (Redis lost it),
     * so that what comes next is numbered above anything the client has seen.
     */
    FrameSequencer sequencer(Long clientLastSeq, FrameSequencer.Sink sink) {
        OptionalLong counter = outbox.counterAtLeast(sessionId, clientLastSeq == null ? 0 : clientLastSeq);
        counter.ifPresent(this::saw);
        OptionalLong after = clientLastSeq != null ? OptionalLong.of(clientLastSeq) : counter;
        return new FrameSequencer(sessionId, outbox, after, sink);
    }

    /**
     * Makes {@code socket} the active one and sends it what it missed (the replay); from then on it gets the live
     * frames. A dead replica's turn is ended for it at once.
     *
     * @return the socket of this replica it replaces, or {@code null}
     */
    GatewaySocket attach(GatewaySocket socket) {
        GatewaySocket previous;
        synchronized (lock) {
            previous = active;
            active = socket;
        }
        socket.catchUp();
        // Read first: almost no session has another replica's turn, and a read costs less than the script.
        if (!claims.recordedElsewhere(List.of(sessionId)).isEmpty()) {
            endTurnOfDeadReplica();
        }
        return previous == socket ? null : previous;
    }

    void detach(GatewaySocket socket) {
        synchronized (lock) {
            if (active == socket) {
                active = null;
            }
        }
    }

    GatewaySocket active() {
        return active;
    }

    /** Whether the active socket has been handed every frame seen here (or none is attached). */
    boolean caughtUp() {
        GatewaySocket socket = active;
        return socket == null || socket.sentUpTo(lastSeq.get());
    }

    // What other replicas send (LiveFeed.Listener, on the feed's thread).

    void frameArrived(long seq, String json) {
        deliver(seq, json);
    }

    void socketAttached(long epoch) {
        GatewaySocket socket = active;
        if (socket != null && socket.isOlderThan(epoch)) {
            socket.replaced();
        }
    }

    void deleted() {
        GatewaySocket socket = active;
        if (socket != null) {
            socket.sessionDeleted();
        }
    }

    /** A socket on another replica cancels the turn recorded under {@code token}, if it still runs here. */
    void cancelRequested(String token) {
        Turn turn = runningTurn;
        // A turn carrying the cancel out (it came too late for the turn it was meant for) is its answer already.
        if (turn != null && !turn.carriesCancel() && turn.token().equals(token)) {
            cancelTurn();
        }
    }

    /** Wakes a turn waiting for another replica's turn to end (that turn ended, or the waiting one was dropped). */
    void wakeWaitingTurn() {
        releaseLock.lock();
        try {
            released.signalAll();
        } finally {
            releaseLock.unlock();
        }
    }

    /** Ends the turn of a replica that died while running it, for the client of this replica's socket. */
    void endTurnOfDeadReplica() {
        GatewaySocket socket = active;
        if (socket != null && runningTurn == null && claims.takeOverIfOwnerDied(sessionId, lastSeq.get())) {
            socket.catchUp();
            wakeWaitingTurn();
        }
    }

    // Turns.

    /**
     * Runs {@code turn} with {@code body} as the session's turn once the previous one has ended, here and on every
     * other replica. A turn dropped by a cancel while it waited does not run. When a cancel from another replica's
     * socket arrived that the turn's end did not answer, {@code body} runs once more with a cancel of its own.
     */
    void runTurn(Turn turn, Consumer<Turn> body) throws InterruptedException {
        turnPermit.acquire();
        try {
            boolean recorded = record(turn);
            if (turn.isCancelled() && !turn.carriesCancel()) {
                if (recorded) {
                    claims.release(sessionId, turn.token(), true);
                }
                return;
            }
            if (run(turn, body, recorded) == TurnClaims.Release.CANCEL_PENDING) {
                Turn cancel = Turn.cancelling();
                cancel.recordedAs(turn.token());
                run(cancel, body, true);
            }
        } finally {
            turnPermit.release();
        }
    }

    private TurnClaims.Release run(Turn turn, Consumer<Turn> body, boolean recorded) {
        runningTurn = turn;
        try {
            body.accept(turn);
        } catch (RuntimeException | Error e) {
            runningTurn = null;
            if (recorded) {
                claims.release(sessionId, turn.token(), true);
            }
            throw e;
        }
        runningTurn = null;
        return recorded ? claims.release(sessionId, turn.token(), turn.answersCancel()) : TurnClaims.Release.RELEASED;
    }

    /**
     * Records the turn as this replica's, waiting while a live replica runs one of the session.
     *
     * @return whether it is recorded; {@code false} when Redis is unavailable (then turns are one at a time per
     *         replica only, and the agent's session lock refuses a second one) or the turn was dropped meanwhile
     */
    private boolean record(Turn turn) throws InterruptedException {
        String token = claims.newToken();
        while (!(turn.isCancelled() && !turn.carriesCancel())) {
            try {
                TurnClaims.Claim claim = claims.tryClaim(sessionId, token, lastSeq.get());
                GatewaySocket socket = active;
                if (claim == TurnClaims.Claim.RECORDED_AFTER_TAKE_OVER && socket != null) {
                    socket.catchUp(); // the dead replica's turn was ended for the client
                }
                if (claim != TurnClaims.Claim.BUSY) {
                    turn.recordedAs(token);
                    return true;
                }
            } catch (JedisException e) {
                LOG.log(Level.DEBUG, "Cannot record the turn of session " + sessionId + ": " + e.getMessage());
                return false;
            }
            releaseLock.lock();
            try {
                released.await(RELEASE_RECHECK_MILLIS, TimeUnit.MILLISECONDS);
            } finally {
                releaseLock.unlock();
            }
        }
        return false;
    }

    /** Whether a turn runs here whose {@code done} the client has not been sent yet. */
    boolean turnRunning() {
        Turn turn = runningTurn;
        return turn != null && !turn.isDoneEmitted();
    }

    /** The turn running now (of any socket of this session), or {@code null}. */
    Turn runningTurn() {
        return runningTurn;
    }

    /** What a {@code cancel} found running. */
    enum CancelOutcome {
        /** A turn was running: it stops and ends with {@code done} reason {@code cancelled}. */
        STOPPED,
        /** The running turn is already being cancelled: its {@code done} answers this cancel too. */
        ALREADY_STOPPING,
        /** No turn runs here (or it has sent its {@code done}): the cancel is for the agent to carry out. */
        NOTHING_RUNNING
    }

    CancelOutcome cancelTurn() {
        Turn turn = runningTurn;
        if (turn == null || turn.isDoneEmitted()) {
            return CancelOutcome.NOTHING_RUNNING;
        }
        if (turn.isCancelled()) {
            return CancelOutcome.ALREADY_STOPPING;
        }
        turn.cancel();
        return CancelOutcome.STOPPED;
    }

    /** Asks the replica running the session's turn, if another one does, to stop it. */
    TurnClaims.RemoteCancel cancelElsewhere() {
        return claims.requestCancel(sessionId);
    }
}
