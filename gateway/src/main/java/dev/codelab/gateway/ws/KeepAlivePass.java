package dev.codelab.gateway.ws;

import java.util.List;

/**
 * One keep-alive round over this replica's sockets: a socket whose client has been silent too long is closed; every
 * other one has its connection-limit entry and its session record refreshed in Redis, is closed with 4409 when a
 * newer socket of its session exists, and is pinged. The Redis work is pipelined per batch of sockets, so a round
 * over thousands of sockets takes a few round trips rather than three for each.
 */
final class KeepAlivePass {

    /** The sockets whose Redis work goes in one round trip. */
    static final int BATCH = 500;

    private final ConnectionLimits limits;
    private final SocketEvents events;

    KeepAlivePass(ConnectionLimits limits, SocketEvents events) {
        this.limits = limits;
        this.events = events;
    }

    void run(List<GatewaySocket> sockets) {
        List<GatewaySocket> due =
                sockets.stream().filter(GatewaySocket::keepAliveDue).toList();
        for (int from = 0; from < due.size(); from += BATCH) {
            List<GatewaySocket> batch = due.subList(from, Math.min(due.size(), from + BATCH));
            limits.heartbeat(batch.stream().map(GatewaySocket::admission).toList());
            long[] newest =
                    events.stillHere(batch.stream().map(GatewaySocket::held).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).keptAlive(newest[i]);
            }
        }
    }
}
