package dev.codelab.agent.api;

import java.time.Duration;

import javax.sql.DataSource;

import dev.codelab.agent.llm.Cancellation;
import dev.codelab.agent.store.Turns;

/**
 * Polls the database for a cancel request while a turn runs, so a {@code cancel} that reached another replica
 * still stops it. Each poll borrows a pool connection briefly (the turn's own connection is busy).
 */
final class CancelWatch implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CancelWatch.class.getName());

    private final Thread thread;

    CancelWatch(DataSource dataSource, String sessionId, Cancellation cancellation, Duration interval) {
        this.thread = Thread.ofVirtual().name("cancel-watch").start(() -> {
            try {
                while (!cancellation.isCancelled()) {
                    Thread.sleep(interval);
                    Connections.with(dataSource, c -> {
                        if (Turns.cancelRequested(c, sessionId)) {
                            cancellation.cancel();
                        }
                    });
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Cannot watch for cancel requests of " + sessionId, e);
            }
        });
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
