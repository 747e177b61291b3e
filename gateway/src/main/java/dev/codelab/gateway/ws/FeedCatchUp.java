package dev.codelab.gateway.ws;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * What the live feed may have missed while it was reconnecting, for every session channel here: frames another
 * replica stored meanwhile are sent from the outbox, a socket a newer one replaced meanwhile is closed with 4409, and
 * a turn waiting for another replica's turn to end looks again. It runs on the feed's thread, which reads no message
 * until it is done, so Redis is asked in pipelined batches: the sessions' counters, then the socket records (which
 * are refreshed as a keep-alive would), a round trip each per batch rather than two per socket. Only a socket whose
 * session counted past what it was sent reads the outbox.
 */
record FeedCatchUp(Outbox outbox, SocketEvents events) {

    void run(Collection<SessionChannel> channels) {
        List<GatewaySocket> sockets = channels.stream()
                .map(SessionChannel::active)
                .filter(Objects::nonNull)
                .toList();
        for (List<GatewaySocket> batch : RedisBatches.of(sockets)) {
            List<SocketEvents.Held> held =
                    batch.stream().map(GatewaySocket::held).toList();
            long[] counters = outbox.counters(
                    held.stream().map(SocketEvents.Held::sessionId).toList());
            long[] newest = events.stillHere(held);
            for (int i = 0; i < batch.size(); i++) {
                GatewaySocket socket = batch.get(i);
                if (!socket.closeIfReplaced(newest[i]) && !socket.sentUpTo(counters[i])) {
                    socket.catchUp();
                }
            }
        }
        channels.forEach(SessionChannel::wakeWaitingTurn);
    }
}
