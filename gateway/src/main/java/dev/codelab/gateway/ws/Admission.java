package dev.codelab.gateway.ws;

/**
 * What the upgrade filter established about a WebSocket before the {@code 101}: who it is, which session,
 * which protocol, where to replay from. Handed to the socket's listener on the same thread.
 *
 * @param lastSeq           the client's {@code last_seq}, or {@code null} for no replay
 * @param bearerSubprotocol the token came in {@code Sec-WebSocket-Protocol}, so {@code bearer} must be selected
 */
record Admission(
        String userId,
        String sessionId,
        int protocol,
        Long lastSeq,
        String connectionId,
        boolean bearerSubprotocol,
        String requestId) {

    private static final ThreadLocal<Admission> HANDOFF = new ThreadLocal<>();

    /**
     * Runs {@code upgrade} (the rest of the filter chain, which ends in the listener's {@code onHttpUpgrade})
     * with this admission available to {@link #take()}.
     *
     * @return whether the listener took it, i.e. the upgrade went ahead
     */
    boolean handOver(Runnable upgrade) {
        HANDOFF.set(this);
        try {
            upgrade.run();
            return HANDOFF.get() == null;
        } finally {
            HANDOFF.remove();
        }
    }

    /** The admission of the upgrade running on this thread, once; {@code null} when none was made. */
    static Admission take() {
        Admission admission = HANDOFF.get();
        HANDOFF.remove();
        return admission;
    }
}
