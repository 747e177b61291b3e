package dev.codelab.agent.llm;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The cancel switch of one running turn: {@link #cancel()} sets the flag, closes the LLM response being read (so
 * the blocked read returns at once) and wakes a retry back-off.
 */
public final class Cancellation {

    private final CountDownLatch cancelled = new CountDownLatch(1);
    private Closeable current;

    public void cancel() {
        Closeable toClose;
        synchronized (this) {
            cancelled.countDown();
            toClose = current;
            current = null;
        }
        closeQuietly(toClose);
    }

    public boolean isCancelled() {
        return cancelled.getCount() == 0;
    }

    /** Registers the response body being read; it is closed right away if the turn is already cancelled. */
    void reading(Closeable body) {
        synchronized (this) {
            if (!isCancelled()) {
                current = body;
                return;
            }
        }
        closeQuietly(body);
    }

    synchronized void doneReading() {
        current = null;
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

    private static void closeQuietly(Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException | RuntimeException ignored) {
            // the reader sees the cancellation flag; a failing close changes nothing
        }
    }
}
