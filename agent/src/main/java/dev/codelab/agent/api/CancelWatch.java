package dev.codelab.agent.api;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.codelab.agent.llm.Cancellation;
import dev.codelab.agent.store.Turns;

/**
 * Polls the database for a cancel request while a turn runs, so a {@code cancel} that reached another replica
 * still stops it. Each poll borrows a pool connection briefly (the turn's own connection is busy).
 *
 * <p>{@link #close()} does not interrupt the watch: an interrupt would break the pool wait or the JDBC socket of
 * a poll in progress. That poll finishes and is the last one.
 */
final class CancelWatch implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CancelWatch.class.getName());

    private final CountDownLatch stopped = new CountDownLatch(1);

    CancelWatch(DataSource dataSource, String sessionId, Cancellation cancellation, Duration interval) {
        Thread.ofVirtual().name("cancel-watch").start(() -> watch(dataSource, sessionId, cancellation, interval));
    }

    private void watch(DataSource dataSource, String sessionId, Cancellation cancellation, Duration interval) {
        boolean failureLogged = false;
        try {
            while (!stopped.await(interval.toMillis(), TimeUnit.MILLISECONDS) && !cancellation.isCancelled()) {
                try {
                    Connections.with(dataSource, c -> {
                        if (Turns.cancelRequested(c, sessionId)) {
                            cancellation.cancel();
                        }
                    });
                } catch (RuntimeException e) {
                    // once per turn: during an outage every poll fails, and the turn's own queries report it too
                    if (!failureLogged && stopped.getCount() > 0) {
                        failureLogged = true;
                        LOG.log(System.Logger.Level.WARNING, "Cannot watch for cancel requests of " + sessionId
                                + " (still trying): " + describe(e));
                    }
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
