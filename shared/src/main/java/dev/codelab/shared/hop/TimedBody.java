package dev.codelab.shared.hop;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * An answer's body whose every read waits at most the hop's timeout: the JDK client has no read timeout (its
 * request timeout ends with the headers), so a timer looks at the read in progress and closes the body when one
 * has been blocked too long, which fails that read at once. Time spent between reads (the caller busy with the
 * last line) does not count. Failures are {@link HopException}s: a timeout, the caller's own {@link #close()},
 * or a broken exchange.
 */
final class TimedBody extends InputStream {

    static final String READ_TIMED_OUT = "Read timed out";
    /** The longest announced body read into an array of exactly its length at once. */
    private static final int EXACT_UP_TO = 1 << 20;
    /** An unannounced body's first array; most answers on the hops are small JSON documents. */
    private static final int FIRST_SIZE = 1024;

    private static final long NOT_READING = Long.MIN_VALUE;

    private final InputStream body;
    private final long timeoutNanos;
    private final String label;
    private volatile long readingSince = NOT_READING;
    private volatile boolean timedOut;
    private volatile boolean closed;
    private volatile boolean watching = true;
    private volatile ScheduledFuture<?> check;

    TimedBody(InputStream body, Duration timeout, String label) {
        this.body = body;
        this.timeoutNanos = timeout.toNanos();
        this.label = label;
        schedule(timeoutNanos);
    }

    @Override
    public int read() throws HopException {
        readingSince = System.nanoTime();
        try {
            return ended(body.read());
        } catch (IOException e) {
            throw failure(e);
        } finally {
            readingSince = NOT_READING;
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws HopException {
        readingSince = System.nanoTime();
        try {
            return ended(body.read(buffer, offset, length));
        } catch (IOException e) {
            throw failure(e);
        } finally {
            readingSince = NOT_READING;
        }
    }

    /**
     * The rest of the body, read into an array of the {@code announced} length (its Content-Length, -1 when not
     * given) and returned without a copy when the body is that long; otherwise the array grows as bytes arrive.
     */
    byte[] readAll(long announced) throws HopException {
        byte[] data = new byte[announced >= 0 && announced <= EXACT_UP_TO ? (int) announced : FIRST_SIZE];
        int filled = 0;
        while (true) {
            if (filled == data.length) {
                int next = read();
                if (next < 0) {
                    return data;
                }
                data = Arrays.copyOf(data, Math.max(FIRST_SIZE, data.length * 2));
                data[filled++] = (byte) next;
            }
            int read = read(data, filled, data.length - filled);
            if (read < 0) {
                return Arrays.copyOf(data, filled);
            }
            filled += read;
        }
    }

    @Override
    public int available() throws IOException {
        return body.available();
    }

    /**
     * Ends the exchange, from any thread and without blocking: a read blocked on the body fails at once. A body not
     * read to its end takes its connection with it, so the peer sees the disconnect.
     */
    @Override
    public void close() {
        closed = true;
        stopWatching();
        closeBody();
    }

    /** A read's result; at the end of the body there is nothing left to watch. */
    private int ended(int read) {
        if (read < 0) {
            stopWatching();
        }
        return read;
    }

    private void stopWatching() {
        watching = false;
        ScheduledFuture<?> pending = check;
        if (pending != null) {
            pending.cancel(false);
        }
    }

    /**
     * Runs on the timer: ends a read blocked too long, else looks again when the read in progress (or the next) could
     * be.
     */
    private void check() {
        if (!watching) {
            return;
        }
        long since = readingSince;
        long now = System.nanoTime();
        if (since != NOT_READING && now - since >= timeoutNanos) {
            timedOut = true;
            closeBody();
            return;
        }
        schedule(since == NOT_READING ? timeoutNanos : since + timeoutNanos - now);
    }

    private void schedule(long delayNanos) {
        check = Timer.INSTANCE.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void closeBody() {
        try {
            body.close();
        } catch (IOException e) {
            // the JDK's body stream does not fail to close; nothing is left to release either way
        }
    }

    private HopException failure(IOException e) {
        if (timedOut) {
            return new HopException(label, HopException.Kind.TIMEOUT, READ_TIMED_OUT, e);
        }
        if (closed || Thread.currentThread().isInterrupted()) {
            return new HopException(label, HopException.Kind.ABORTED, "closed", e);
        }
        return new HopException(label, HopException.Kind.BROKEN, HopClient.describe(e), e);
    }

    /** One daemon thread for the read timeouts of every hop; its tasks only compare times and close streams. */
    private static final class Timer {

        static final ScheduledThreadPoolExecutor INSTANCE = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(
                    1, Thread.ofPlatform().name("hop-read-timeouts").daemon().factory());
            timer.setRemoveOnCancelPolicy(true);
            return timer;
        }
    }
}
