package dev.codelab.gateway.ws;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A socket's worker: takes its client frames in order and runs each as a turn with the agent, on its own
 * virtual thread, so that the socket's reader is free to answer {@code cancel} and bad input meanwhile.
 * When the socket closes, queued frames are dropped but the running turn is read to its end, so that its
 * frames are stored for replay.
 */
final class TurnWorker {

    private static final ClientFrame END = new ClientFrame("end", (ObjectNode) null);

    private final SessionChannel channel;
    private final AgentStreamPipe pipe;
    private final String userId;
    private final String requestId;
    private final Runnable onExit;
    private final BlockingQueue<ClientFrame> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger turns = new AtomicInteger();

    TurnWorker(SessionChannel channel, AgentStreamPipe pipe, String userId, String requestId, Runnable onExit) {
        this.channel = channel;
        this.pipe = pipe;
        this.userId = userId;
        this.requestId = requestId;
        this.onExit = onExit;
    }

    void start() {
        Thread.ofVirtual().name("ws-worker-" + channel.sessionId()).start(this::work);
    }

    void submit(ClientFrame frame) {
        pending.incrementAndGet();
        queue.add(frame);
    }

    /**
     * Whether a turn runs for the session or frames of this socket wait for one. A turn whose {@code done} was
     * sent no longer counts: the client may answer at once, before the worker has let go of it (the soak run
     * met TURN_IN_PROGRESS right after a {@code done}).
     */
    boolean isBusy() {
        int waiting = pending.get();
        return waiting > 1 || channel.turnRunning() || waiting == 1 && !channel.turnEnding();
    }

    /** Lets the running turn finish, drops the rest, then ends the worker. */
    void finish() {
        queue.clear();
        queue.add(END);
    }

    private void work() {
        try {
            while (true) {
                ClientFrame frame = queue.take();
                if (frame == END) {
                    return;
                }
                try {
                    String turnRequestId = requestId + "-" + turns.incrementAndGet();
                    channel.runTurn(turn -> pipe.run(channel, userId, turnRequestId, frame, turn));
                } finally {
                    pending.decrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            onExit.run();
        }
    }
}
