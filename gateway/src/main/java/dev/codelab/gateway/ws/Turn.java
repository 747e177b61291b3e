package dev.codelab.gateway.ws;

import java.util.stream.Stream;

/**
 * One running exchange with the agent. Cancelling or timing out closes its response body, which aborts the
 * HTTP exchange and wakes the reading thread at once.
 */
final class Turn {

    private volatile Stream<String> body;
    private volatile boolean cancelled;
    private volatile boolean timedOut;
    private volatile boolean finished;
    private volatile boolean doneEmitted;
    private volatile long lastActivityNanos = System.nanoTime();

    /** Hands the turn its response body; closes it at once when the turn was cancelled meanwhile. */
    void attach(Stream<String> responseBody) {
        this.body = responseBody;
        if (cancelled || timedOut) {
            responseBody.close();
        }
    }

    void cancel() {
        cancelled = true;
        closeBody();
    }

    void timeOut() {
        timedOut = true;
        closeBody();
    }

    void touch() {
        lastActivityNanos = System.nanoTime();
    }

    long silentNanos() {
        return System.nanoTime() - lastActivityNanos;
    }

    void finish() {
        finished = true;
    }

    boolean isFinished() {
        return finished;
    }

    /** The turn's {@code done} went to the client, which may now send its next frame. */
    void markDoneEmitted() {
        doneEmitted = true;
    }

    boolean isDoneEmitted() {
        return doneEmitted;
    }

    boolean isCancelled() {
        return cancelled;
    }

    boolean isTimedOut() {
        return timedOut;
    }

    private void closeBody() {
        Stream<String> current = body;
        if (current != null) {
            // Closing may wait for the reader to let go of the stream, so it must not hold up the caller.
            Thread.ofVirtual().start(current::close);
        }
    }
}
