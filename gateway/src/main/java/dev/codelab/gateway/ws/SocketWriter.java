package dev.codelab.gateway.ws;

import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsSession;
import java.lang.System.Logger.Level;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The one writer of a socket: frames wait in a bounded queue and a virtual thread sends them in order, so a
 * slow client never blocks the agent stream. A client that falls behind by more than the queue holds is
 * closed with 1008 and can reconnect with {@code last_seq}.
 */
final class SocketWriter {

    static final int POLICY_VIOLATION = 1008;
    private static final System.Logger LOG = System.getLogger(SocketWriter.class.getName());
    private static final String STOP = new String("stop");

    private final WsSession session;
    private final BlockingQueue<String> queue;
    private final Runnable onBroken;
    private volatile boolean closed;

    /**
     * @param onBroken called when a send or ping fails: Helidon does not tell the listener about a client that
     *                 vanished without a close frame, so a failed write is how the socket learns it is gone
     */
    SocketWriter(WsSession session, int capacity, Runnable onBroken) {
        this.session = session;
        // Linked, not an array: an idle socket must not hold room for the whole bound (16 KB each at 4096).
        this.queue = new LinkedBlockingQueue<>(capacity + 1);
        this.onBroken = onBroken;
    }

    void start(String name) {
        Thread.ofVirtual().name(name).start(this::drain);
    }

    /** Queues a text frame; a full queue closes the socket 1008. */
    void send(String text) {
        if (closed) {
            return;
        }
        if (queue.remainingCapacity() <= 1 || !queue.offer(text)) {
            close(POLICY_VIOLATION, "Client too slow");
        }
    }

    /** Closes the socket at once (frames still queued are dropped; the outbox keeps them for replay). */
    void close(int code, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        queue.clear();
        queue.offer(STOP);
        // The close frame waits for the socket's send lock, which a send to a stalled client may hold: never
        // let that stall the caller (the session's emitter, or the reader).
        Thread.ofVirtual().name("ws-close").start(() -> {
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
        Thread.ofVirtual().name("ws-ping").start(() -> {
            try {
                session.ping(BufferData.create(new byte[0]));
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "Ping failed: " + e.getMessage());
                closed = true;
                onBroken.run();
            }
        });
    }

    /** Stops the writer after the client went away. */
    void stop() {
        closed = true;
        queue.clear();
        queue.offer(STOP);
    }

    private void drain() {
        try {
            while (true) {
                String text = queue.take();
                if (text == STOP || closed) {
                    return;
                }
                session.send(text, true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            closed = true;
            LOG.log(Level.DEBUG, "Socket write failed, writer stops: " + e.getMessage());
            onBroken.run();
        }
    }
}
