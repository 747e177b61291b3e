package dev.codelab.agent.api;

import dev.codelab.shared.watch.IdleWatch;
import java.time.Duration;

/**
 * A virtual thread that runs a task every interval until closed: an {@link IdleWatch} that nothing touches, so it
 * polls. A failing run is logged once, until a run succeeds again (during an outage every run fails, and the
 * turns' own statements report it too); the loop goes on.
 *
 * <p>{@link #close()} does not interrupt: an interrupt would break the pool wait or the JDBC socket of a run in
 * progress. That run finishes and is the last.
 */
final class Periodic implements AutoCloseable {

    private final System.Logger log;
    private final Runnable task;
    private final String failure;
    private final IdleWatch poll;
    private volatile boolean closed;
    private boolean failing;

    Periodic(String name, Duration interval, Runnable task, System.Logger log, String failure) {
        this.log = log;
        this.task = task;
        this.failure = failure;
        this.poll = new IdleWatch(name, interval, this::runOnce);
        poll.start();
    }

    /** One run, on the watch's thread; the poll always goes on. */
    private boolean runOnce() {
        try {
            task.run();
            failing = false;
        } catch (RuntimeException e) {
            if (!failing && !closed) {
                log.log(System.Logger.Level.WARNING, failure + " (still trying): " + describe(e));
            }
            failing = true;
        }
        return true;
    }

    private static String describe(Throwable e) {
        return e.getCause() == null ? e.toString() : e + ", caused by " + e.getCause();
    }

    @Override
    public void close() {
        closed = true;
        poll.close();
    }
}
