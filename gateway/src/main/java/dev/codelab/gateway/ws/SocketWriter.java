package dev.codelab.gateway.ws;

import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsSession;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;

/**
 * The one writer of a socket: frames wait in a bounded queue and a thread of the writer's own sends them in order, so
 * a slow client never blocks the agent stream. A client that falls behind by more than the queue holds is closed with
 * 1008 and can reconnect with {@code last_seq}.
 *
 * <p>The thread runs only while frames wait: the first frame queued starts it, and it ends once the queue is empty; a
 * frame queued after that starts the next one. At most one runs at a time, so frames keep their order. An idle socket
 * holds neither a thread nor a queue (10 000 idle sockets on one gateway, docs/benchmarks.md).
 */
final class SocketWriter {

    static final int POLICY_VIOLATION = 1008;
    private static final System.Logger LOG = System.getLogger(SocketWriter.class.getName());

    private final WsSession session;
    private final String sessionId;
    private final int capacity;
    private final Runnable onBroken;
    private final ThreadStarter threads;
    private final Object lock = new Object();
    /** The frames not written yet, oldest first; {@code null} while none waits. Guarded by {@link #lock}. */
    private ArrayDeque<String> queue;
    /** Whether the writer's thread runs. Guarded by {@link #lock}. */
    private boolean writing;

    private volatile boolean closed;

    /**
     * @param capacity how many frames may wait; one more closes the socket 1008
     * @param onBroken called when a send or ping fails: Helidon does not tell the listener about a client that
     *                 vanished without a close frame, so a failed write is how the socket learns it is gone
     */
    SocketWriter(WsSession session, String sessionId, int capacity, Runnable onBroken, ThreadStarter threads) {
        this.session = session;
        this.sessionId = sessionId;
        this.capacity = capacity;
        this.onBroken = onBroken;
        this.threads = threads;
    }

    /** Queues a text frame, starting the writer's thread if none runs; a full queue closes the socket 1008. */
    void send(String text) {
        if (!queued(text)) {
            close(POLICY_VIOLATION, "Client too slow");
        }
    }

    /** Closes the socket at once (frames still queued are dropped; the outbox keeps them for replay). */
    void close(int code, String reason) {
        if (!markClosed()) {
            return;
        }
        // The close frame waits for the socket's send lock, which a send to a stalled client may hold: never
        // let that stall the caller (the session's emitter, or the reader).
        threads.start("ws-close", () -> {
            try {
                session.close(code, reason);
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "Closing a broken socket: " + e.getMessage());
            }
        });
    }

    /** Sends a ping off the caller's thread, for the same reason as {@link #close}. */
    void ping() {
        if (closed) {
            return;
        }
        threads.start("ws-ping", () -> {
            try {
                session.ping(BufferData.create(new byte[0]));
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "Ping failed: " + e.getMessage());
                broken();
            }
        });
    }

    /** Stops the writer after the client went away (frames still queued are dropped). */
    void stop() {
        markClosed();
    }

    /** @return {@code false} when the queue is full */
    private boolean queued(String text) {
        boolean start;
        synchronized (lock) {
            if (closed) {
                return true;
            }
            if (queue == null) {
                queue = new ArrayDeque<>();
            } else if (queue.size() >= capacity) {
                return false;
            }
            queue.addLast(text);
            start = !writing;
            writing = true;
        }
        if (start) {
            threads.start("ws-writer-" + sessionId, this::write);
        }
        return true;
    }

    private void write() {
        try {
            for (String text = next(); text != null; text = next()) {
                session.send(text, true);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "Socket write failed, writer stops: " + e.getMessage());
            broken();
        }
    }

    /** The next frame to write; {@code null} when none waits, and then the thread ends (in the same step). */
    private String next() {
        synchronized (lock) {
            String text = closed ? null : queue.pollFirst();
            if (text == null) {
                writing = false;
                queue = null;
            }
            return text;
        }
    }

    private void broken() {
        markClosed();
        onBroken.run();
    }

    /** @return whether this call closed the writer */
    private boolean markClosed() {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            closed = true;
            queue = null;
            return true;
        }
    }
}
