package dev.codelab.shared.watch;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * One virtual thread that acts when nothing happened for a while: the services' watchdogs are this class with
 * different parameters.
 *
 * <ul>
 *   <li><b>keep-alive</b>: every write {@link #touch touches} the watch, the action writes a comment and goes on
 *       (the agent's event stream, the LLM proxy's caller stream);
 *   <li><b>idle timeout</b>: every line read touches it, the action closes the stream and stops (the gateway's
 *       agent stream, the LLM proxy's provider stream, whose first silence is the longer first-token timeout);
 *   <li><b>poll</b>: nothing touches it, so the action runs every interval (the agent's cancel watch and session
 *       lease heartbeat).
 * </ul>
 *
 * <p>Blocking style: the thread parks until the deadline and looks again. {@link #touch()} only notes the time
 * (the thread wakes for it once, when the first touch may bring the deadline forward); {@link #close()} wakes the
 * thread and never interrupts it, so an action in progress finishes and is the last.
 */
public final class IdleWatch implements AutoCloseable {

    /** What to do after a silence; returns whether to keep watching. */
    @FunctionalInterface
    public interface OnIdle {
        boolean idle();
    }

    private final long firstNanos;
    private final long intervalNanos;
    private final OnIdle onIdle;
    private final Thread thread;
    private volatile long sinceNanos;
    private volatile boolean touched;
    private volatile boolean closed;

    /**
     * A watch that calls {@code onIdle} each time it was not touched for {@code interval}, counted from its start,
     * its last touch or its last call, until {@code onIdle} returns false or the watch is closed.
     */
    public IdleWatch(String name, Duration interval, OnIdle onIdle) {
        this(name, interval, interval, onIdle);
    }

    /**
     * As {@link #IdleWatch(String, Duration, OnIdle)}, but the silence allowed before the first touch is
     * {@code first}.
     */
    public IdleWatch(String name, Duration first, Duration interval, OnIdle onIdle) {
        this.firstNanos = first.toNanos();
        this.intervalNanos = interval.toNanos();
        this.onIdle = onIdle;
        this.thread = Thread.ofVirtual().name(name).unstarted(this::run);
    }

    /**
     * Starts the thread; the first silence counts from now. Separate from the constructor so that an owner can
     * keep the watch in a field before its action may run (and touch it).
     */
    public IdleWatch start() {
        sinceNanos = System.nanoTime();
        thread.start();
        return this;
    }

    /** Something happened: the next silence counts from now. */
    public void touch() {
        sinceNanos = System.nanoTime();
        if (!touched) {
            touched = true;
            LockSupport.unpark(thread);
        }
    }

    /** Stops watching; an action in progress finishes. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
    }

    /** When the silence that started at {@code sinceNanos} runs out. */
    static long deadline(long sinceNanos, boolean touched, long firstNanos, long intervalNanos) {
        return sinceNanos + (touched ? intervalNanos : firstNanos);
    }

    private void run() {
        while (!closed) {
            long wait = deadline(sinceNanos, touched, firstNanos, intervalNanos) - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
            } else if (onIdle.idle()) {
                sinceNanos = System.nanoTime();
                touched = true;
            } else {
                return;
            }
        }
    }

    /** The watch's thread, for tests that wait for it to end. */
    Thread thread() {
        return thread;
    }
}
