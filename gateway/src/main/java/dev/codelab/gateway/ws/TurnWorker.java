package dev.codelab.gateway.ws;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A socket's worker: takes its client frames in order and runs each as a turn with the agent, on a thread of its
 * own, so that the socket's reader is free to answer {@code cancel} and bad input meanwhile. The thread runs only
 * while frames wait: the first frame queued starts it, it ends once the queue is empty, and at most one runs at a
 * time, so an idle socket holds no thread. When the socket closes ({@link #finish}), queued frames are dropped and
 * later ones refused, but the running turn is read to its end, so that its frames are stored for replay; the worker
 * is done with the session's channel ({@code onExit}) once no turn of it runs any more.
 *
 * <p>A {@code cancel} stops the session's running turn, on this replica or, through {@link TurnClaims}, on the
 * replica that runs it; when none runs it is passed on to the agent as a frame of its own, which ends whatever
 * waits for the IDE (a tool call, an approval). Either way the client gets one {@code done} with reason
 * {@code cancelled}. A {@code user_message} sent while a turn winds down (cancelled, or its {@code done} sent),
 * here or on another replica, waits here and starts once that turn has ended; a later {@code cancel} drops it.
 */
final class TurnWorker {

    private static final System.Logger LOG = System.getLogger(TurnWorker.class.getName());

    /** What a turn does: in the gateway, {@link AgentStreamPipe#run} with the socket's user. */
    @FunctionalInterface
    interface TurnBody {
        void run(Turn turn, String turnRequestId);
    }

    private final SessionChannel channel;
    private final TurnBody body;
    private final String requestId;
    private final Runnable onExit;
    private final ThreadStarter threads;
    private final AtomicInteger turns = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<InboundFrame> queue = new ArrayDeque<>(2);
    /** The turn of the frame taken from the queue and not yet done with; guarded by {@link #lock}. */
    private Turn inHand;
    /** Whether the worker's thread runs; guarded by {@link #lock}. */
    private boolean working;

    private boolean finishing;

    /**
     * @param requestId the socket's request id; each turn's is this with {@code -1}, {@code -2}, ... appended
     * @param onExit    run once, when the socket has closed and no turn of this worker runs any more
     */
    TurnWorker(SessionChannel channel, TurnBody body, String requestId, Runnable onExit, ThreadStarter threads) {
        this.channel = channel;
        this.body = body;
        this.requestId = requestId;
        this.onExit = onExit;
        this.threads = threads;
    }

    /** Queues a frame, starting the worker's thread if none runs; a frame after {@link #finish} is dropped. */
    void submit(InboundFrame frame) {
        boolean start;
        lock.lock();
        try {
            start = queue(frame);
        } finally {
            lock.unlock();
        }
        startIf(start);
    }

    /**
     * Queues a {@code user_message}, or, when a turn runs or waits to run (here or on another replica), emits
     * {@code rejection} instead. The decision is taken under the channel's emit lock, so a client that gets the
     * rejection always gets the {@code done} of the turn it collided with after it.
     */
    void submitUnlessBusy(InboundFrame frame, FrameError rejection) {
        if (!channel.emitIfBusy(this::isBusy, rejection.toJson())) {
            submit(frame);
        }
    }

    /**
     * Stops the running turn (here or on another replica) and drops the messages waiting behind it, or passes the
     * cancel on to the agent.
     */
    void cancel(InboundFrame frame) {
        boolean start;
        lock.lock();
        try {
            queue.removeIf(InboundFrame::startsTurn);
            dropWaitingMessage();
            if (channel.cancelTurn() != SessionChannel.CancelOutcome.NOTHING_RUNNING
                    || cancelPending()
                    || channel.cancelElsewhere() != TurnClaims.RemoteCancel.NONE) {
                return;
            }
            start = queue(frame);
        } finally {
            lock.unlock();
        }
        startIf(start);
    }

    /** Under {@link #lock}: queues the frame unless the socket has closed; whether the thread is to be started. */
    private boolean queue(InboundFrame frame) {
        if (finishing) {
            return false;
        }
        queue.addLast(frame);
        boolean start = !working;
        working = true;
        return start;
    }

    private void startIf(boolean start) {
        if (start) {
            threads.start("ws-worker-" + channel.sessionId(), this::work);
        }
    }

    /**
     * Whether a new turn may not start now: a turn runs that is not winding down, or a frame that would start one
     * waits here (queued, or taken but still waiting for the session's previous turn to end).
     */
    boolean isBusy() {
        lock.lock();
        try {
            if (queue.stream().anyMatch(frame -> !frame.type().equals(InboundFrame.CANCEL))) {
                return true;
            }
            Turn running = channel.runningTurn();
            if (running != null && !running.isWindingDown()) {
                return true;
            }
            return inHand != null && inHand != running && !inHand.isWindingDown();
        } finally {
            lock.unlock();
        }
    }

    /** Lets the running turn finish and drops the rest; then the worker is done with the channel. */
    void finish() {
        boolean idle;
        lock.lock();
        try {
            queue.clear();
            finishing = true;
            idle = !working;
        } finally {
            lock.unlock();
        }
        if (idle) {
            onExit.run();
        }
    }

    /** A message taken from the queue that still waits for the session's previous turn to end does not run. */
    private void dropWaitingMessage() {
        if (inHand != null && !inHand.carriesCancel() && inHand != channel.runningTurn()) {
            inHand.cancel();
            channel.wakeWaitingTurn();
        }
    }

    private boolean cancelPending() {
        return queue.stream().anyMatch(frame -> frame.type().equals(InboundFrame.CANCEL))
                || inHand != null && inHand.carriesCancel() && inHand != channel.runningTurn();
    }

    private void work() {
        for (Turn next = next(); next != null; next = next()) {
            String turnRequestId = requestId + "-" + turns.incrementAndGet();
            try {
                channel.runTurn(next, turn -> body.run(turn, turnRequestId));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "A turn of session " + channel.sessionId() + " failed", e);
            }
        }
    }

    /**
     * The turn of the next frame (now {@link #inHand}); {@code null} when none waits, and then the thread ends in
     * the same step (and the worker is done with the channel when the socket has closed).
     */
    private Turn next() {
        boolean exit;
        lock.lock();
        try {
            inHand = null;
            if (!queue.isEmpty()) {
                inHand = new Turn(queue.removeFirst());
                return inHand;
            }
            working = false;
            exit = finishing;
        } finally {
            lock.unlock();
        }
        if (exit) {
            onExit.run();
        }
        return null;
    }
}
