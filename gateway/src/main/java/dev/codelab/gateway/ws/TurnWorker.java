package dev.codelab.gateway.ws;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A socket's worker: takes its client frames in order and runs each as a turn with the agent, on its own
 * virtual thread, so that the socket's reader is free to answer {@code cancel} and bad input meanwhile.
 * When the socket closes, queued frames are dropped but the running turn is read to its end, so that its
 * frames are stored for replay.
 *
 * <p>A {@code cancel} stops the session's running turn, on this replica or, through {@link TurnClaims}, on the
 * replica that runs it; when none runs it is passed on to the agent as a frame of its own, which ends whatever
 * waits for the IDE (a tool call, an approval). Either way the client gets one {@code done} with reason
 * {@code cancelled}. A {@code user_message} sent while a turn winds down (cancelled, or its {@code done} sent),
 * here or on another replica, waits here and starts once that turn has ended; a later {@code cancel} drops it.
 */
final class TurnWorker {

    private final SessionChannel channel;
    private final AgentStreamPipe pipe;
    private final String userId;
    private final String requestId;
    private final Runnable onExit;
    private final AtomicInteger turns = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final Deque<InboundFrame> queue = new ArrayDeque<>();
    /** The turn of the frame taken from the queue and not yet done with; guarded by {@link #lock}. */
    private Turn inHand;

    private boolean finishing;

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

    void submit(InboundFrame frame) {
        lock.lock();
        try {
            queue.addLast(frame);
            arrived.signal();
        } finally {
            lock.unlock();
        }
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
        lock.lock();
        try {
            queue.removeIf(InboundFrame::startsTurn);
            dropWaitingMessage();
            if (channel.cancelTurn() != SessionChannel.CancelOutcome.NOTHING_RUNNING
                    || cancelPending()
                    || channel.cancelElsewhere() != TurnClaims.RemoteCancel.NONE) {
                return;
            }
            queue.addLast(frame);
            arrived.signal();
        } finally {
            lock.unlock();
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

    /** Lets the running turn finish, drops the rest, then ends the worker. */
    void finish() {
        lock.lock();
        try {
            queue.clear();
            finishing = true;
            arrived.signal();
        } finally {
            lock.unlock();
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
        try {
            for (Turn next = next(); next != null; next = next()) {
                try {
                    String turnRequestId = requestId + "-" + turns.incrementAndGet();
                    channel.runTurn(next, turn -> pipe.run(channel, userId, turnRequestId, turn.frame(), turn));
                } finally {
                    done();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            onExit.run();
        }
    }

    /** The turn of the next frame (now {@link #inHand}), or {@code null} once the socket is gone. */
    private Turn next() throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty() && !finishing) {
                arrived.await();
            }
            if (queue.isEmpty()) {
                return null;
            }
            inHand = new Turn(queue.removeFirst());
            return inHand;
        } finally {
            lock.unlock();
        }
    }

    private void done() {
        lock.lock();
        try {
            inHand = null;
        } finally {
            lock.unlock();
        }
    }
}
