package dev.codelab.gateway.ws;

import java.util.concurrent.Semaphore;
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
        frame.remove("seq");
        synchronized (lock) {
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

    /** Runs {@code body} as this session's turn once the previous turn has ended. */
    void runTurn(Consumer<Turn> body) throws InterruptedException {
        turnPermit.acquire();
        Turn turn = new Turn();
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

    /** Whether the running turn has sent its {@code done} and is only winding down. */
    boolean turnEnding() {
        Turn turn = runningTurn;
        return turn != null && turn.isDoneEmitted();
    }

    /** Stops the running turn, if any; {@code false} when none was running. */
    boolean cancelTurn() {
        Turn turn = runningTurn;
        if (turn == null) {
            return false;
        }
        turn.cancel();
        return true;
    }
}
