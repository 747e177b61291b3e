package dev.codelab.agent.llm;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The cancel switch of one running turn: {@link #cancel()} sets the flag, aborts the LLM call the turn's thread is
 * blocked in (so it returns at once) and wakes a retry back-off.
 *
 * <p>The abort runs under this object's lock and is forgotten in {@link #doneBlocking()}, so once the call is over
 * a late cancel can no longer touch it — which matters for the interrupt: it must never reach the turn's later
 * I/O (its writes to the caller's stream).
 */
public final class Cancellation {

    private final CountDownLatch cancelled = new CountDownLatch(1);
    private Runnable abort;
    private boolean interrupted;

    public synchronized void cancel() {
        cancelled.countDown();
        if (abort != null) {
            abort.run();
            abort = null;
        }
    }

    public boolean isCancelled() {
        return cancelled.getCount() == 0;
    }

    /**
     * The calling thread is about to wait for the proxy's response headers: a cancel interrupts it. The JDK client
     * then cancels the exchange (closing its connection) and the wait fails at once.
     *
     * @return false (nothing registered) when the turn is already cancelled
     */
    boolean interruptOnCancel() {
        Thread caller = Thread.currentThread();
        return abortOnCancel(() -> {
            interrupted = true;
            caller.interrupt();
        });
    }

    /**
     * Registers how to abort the call in flight (closing the response being read, which fails a blocked read).
     *
     * @return false (nothing registered) when the turn is already cancelled
     */
    synchronized boolean abortOnCancel(Runnable abort) {
        if (isCancelled()) {
            return false;
        }
        this.abort = abort;
        return true;
    }

    /** The blocking call is over (called by the thread that registered it); clears an interrupt a cancel sent. */
    synchronized void doneBlocking() {
        abort = null;
        if (interrupted) {
            interrupted = false;
            Thread.interrupted();
        }
    }

    /** Sleeps up to {@code millis}; returns early (true) when cancelled. */
    boolean sleep(long millis) {
        try {
            return cancelled.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }
}
