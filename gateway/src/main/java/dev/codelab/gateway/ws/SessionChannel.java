package dev.codelab.gateway.ws;

import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One session's server frames on this gateway: numbers and stores each frame in the {@link Outbox}, then hands
 * it to whichever socket is the session's active one. Attaching a socket replays under the same lock, so a
 * reconnecting client gets the frames it missed and then the live ones, none twice and none lost. Also runs
 * the session's turns one at a time.
 */
final class SessionChannel {

    private final String sessionId;
    private final Outbox outbox;
    private final Object lock = new Object();
    private final Semaphore turnPermit = new Semaphore(1, true);
    private GatewaySocket active;
    private long lastSeq;
    private volatile Turn runningTurn;
    /** Sockets and workers using this channel; guarded by the registry's map. */
    int users;

    SessionChannel(String sessionId, Outbox outbox) {
        this.sessionId = sessionId;
        this.outbox = outbox;
    }

    String sessionId() {
        return sessionId;
    }

    /** Numbers, stores and delivers a server frame. */
    void emit(ObjectNode frame) {
        synchronized (lock) {
            emitLocked(frame);
        }
    }

    /**
     * Emits {@code frame} when {@code condition} holds, deciding under the emit lock: no frame (such as the
     * {@code done} that would make the condition false) can slip in between the decision and the frame.
     *
     * @return whether the frame was emitted
     */
    boolean emitIf(BooleanSupplier condition, ObjectNode frame) {
        synchronized (lock) {
            if (!condition.getAsBoolean()) {
                return false;
            }
            emitLocked(frame);
            return true;
        }
    }

    private void emitLocked(ObjectNode frame) {
        frame.remove("seq");
        long seq = outbox.append(sessionId, frame).orElse(lastSeq + 1);
        lastSeq = Math.max(lastSeq, seq);
        frame.put("seq", seq);
        Turn turn = runningTurn;
        if (turn != null && "done".equals(frame.path("type").asText())) {
            turn.markDoneEmitted();
        }
        if (active != null) {
            active.deliver(frame);
        }
    }

    /**
     * Makes {@code socket} the active one, first replaying the stored frames after {@code lastSeq} (when given).
     *
     * @return the socket it replaces, or {@code null}
     */
    GatewaySocket attach(GatewaySocket socket, Long replayAfter) {
        synchronized (lock) {
            GatewaySocket previous = active;
            active = socket;
            if (replayAfter != null) {
                outbox.since(sessionId, replayAfter).forEach(socket::deliver);
            }
            return previous == socket ? null : previous;
        }
    }

    void detach(GatewaySocket socket) {
        synchronized (lock) {
            if (active == socket) {
                active = null;
            }
        }
    }

    GatewaySocket active() {
        synchronized (lock) {
            return active;
        }
    }

    /** Runs {@code turn} with {@code body} as this session's turn once the previous turn has ended. */
    void runTurn(Turn turn, Consumer<Turn> body) throws InterruptedException {
        turnPermit.acquire();
        runningTurn = turn;
        try {
            body.accept(turn);
        } finally {
            runningTurn = null;
            turnPermit.release();
        }
    }

    /** Whether a turn runs whose {@code done} the client has not been sent yet. */
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
}
