package dev.codelab.gateway.ws;

import java.util.List;

/**
 * One keep-alive round over this replica's sockets: a socket whose client has been silent too long is closed; every
 * other one has its connection-limit entry and its session record refreshed in Redis, is closed with 4409 when a
 * newer socket of its session exists, and is pinged. The Redis work is pipelined per batch of sockets
 * ({@link RedisBatches}), so a round over thousands of sockets takes a few round trips rather than three for each.
 */
record KeepAlivePass(ConnectionLimits limits, SocketEvents events) {

    void run(List<GatewaySocket> sockets) {
        List<GatewaySocket> due =
                sockets.stream().filter(GatewaySocket::keepAliveDue).toList();
        for (List<GatewaySocket> batch : RedisBatches.of(due)) {
            limits.heartbeat(batch.stream().map(GatewaySocket::admission).toList());
            long[] newest =
                    events.stillHere(batch.stream().map(GatewaySocket::held).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).keptAlive(newest[i]);
            }
        }
    }
}
