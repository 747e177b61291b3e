package dev.codelab.client;

/**
 * Receives what a {@link ChatConnection} gets. Called on the socket's thread, one call at a time, in order;
 * a slow listener slows the socket down (back-pressure), it never loses frames.
 */
@FunctionalInterface
public interface ChatListener {

    /** A server frame, delivered exactly once even across reconnects. */
    void onFrame(ServerFrame frame);

    /**
     * The socket went away without {@link ChatConnection#close()}: the server closed it ({@code statusCode} &gt; 0,
     * e.g. 1001 shutting down, 4409 replaced by a newer socket) or the network failed ({@code error} set,
     * {@code statusCode} -1). Call {@link ChatConnection#reconnect()} to continue where it stopped.
     */
    default void onDisconnected(Disconnect disconnect) {}

    /**
     * Why a socket went away.
     *
     * @param statusCode the WebSocket close code, or -1 for a network failure
     * @param reason     the close reason, or the failure message
     * @param error      the failure, or {@code null} for a close
     */
    record Disconnect(int statusCode, String reason, Throwable error) {

        /** Whether reconnecting makes sense: not after a normal close (session deleted) or being replaced (4409). */
        public boolean retryable() {
            return statusCode != 1000 && statusCode != 4409 && statusCode != 1003 && statusCode != 1009;
        }
    }
}
