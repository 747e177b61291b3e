package dev.codelab.agent.api;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A virtual thread that runs a task every interval until closed. A failing run is logged once, until a run
 * succeeds again (during an outage every run fails, and the turns' own statements report it too); the loop
 * goes on.
 *
 * <p>{@link #close()} does not interrupt: an interrupt would break the pool wait or the JDBC socket of a run in
 * progress. That run finishes and is the last.
 */
final class Periodic implements AutoCloseable {

    private final System.Logger log;
    private final CountDownLatch stopped = new CountDownLatch(1);

    Periodic(String name, Duration interval, Runnable task, System.Logger log, String failure) {
        this.log = log;
        Thread.ofVirtual().name(name).start(() -> loop(interval, task, failure));
    }

    private void loop(Duration interval, Runnable task, String failure) {
        boolean failing = false;
        try {
            while (!stopped.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
                try {
                    task.run();
                    failing = false;
                } catch (RuntimeException e) {
                    if (!failing && stopped.getCount() > 0) {
                        log.log(System.Logger.Level.WARNING, failure + " (still trying): " + describe(e));
                    }
                    failing = true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String describe(Throwable e) {
        return e.getCause() == null ? e.toString() : e + ", caused by " + e.getCause();
    }

    @Override
    public void close() {
        stopped.countDown();
    }
}
