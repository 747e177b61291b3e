package dev.codelab.gateway.ws;

import java.nio.charset.StandardCharsets;

/**
 * Joins the fragments of the client message being received, up to a size limit. Used by the socket's reader
 * thread only.
 */
final class MessageAssembly {

    private final int maxBytes;
    private final StringBuilder pending = new StringBuilder();
    private int pendingBytes;

    MessageAssembly(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Adds a fragment.
     *
     * @return {@code false} when the message grew past the limit: it is dropped
     */
    boolean add(String fragment) {
        pendingBytes += fragment.getBytes(StandardCharsets.UTF_8).length;
        if (pendingBytes > maxBytes) {
            take();
            return false;
        }
        pending.append(fragment);
        return true;
    }

    /** The message joined so far; starts the next one. */
    String take() {
        String message = pending.toString();
        pending.setLength(0);
        pendingBytes = 0;
        return message;
    }
}
