package dev.codelab.gateway.ws;

/**
 * What the upgrade filter established about a WebSocket before the {@code 101}: who it is, which session,
 * which protocol, where to replay from. Reaches the socket's listener through the {@link UpgradeHandoff}.
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
        String requestId) {}
