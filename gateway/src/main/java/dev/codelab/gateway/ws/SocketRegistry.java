package dev.codelab.gateway.ws;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sockets and session channels of this gateway instance. A channel lives while a socket or a worker
 * uses it (counted inside the map's atomic operations), so two sockets of one session always share one.
 */
public final class SocketRegistry {

    private final Outbox outbox;
    private final Map<String, SessionChannel> channels = new ConcurrentHashMap<>();
    private final Set<GatewaySocket> sockets = ConcurrentHashMap.newKeySet();

    SocketRegistry(Outbox outbox) {
        this.outbox = outbox;
    }

    SessionChannel acquire(String sessionId) {
        return channels.compute(sessionId, (id, channel) -> {
            SessionChannel used = channel == null ? new SessionChannel(id, outbox) : channel;
            used.users++;
            return used;
        });
    }

    void release(SessionChannel channel) {
        channels.computeIfPresent(channel.sessionId(), (id, current) -> {
            current.users--;
            return current.users <= 0 ? null : current;
        });
    }

    void add(GatewaySocket socket) {
        sockets.add(socket);
    }

    void remove(GatewaySocket socket) {
        sockets.remove(socket);
    }

    List<GatewaySocket> sockets() {
        return List.copyOf(sockets);
    }

    /** Whether any session still has a turn running here. */
    boolean turnsRunning() {
        return channels.values().stream().anyMatch(SessionChannel::turnRunning);
    }

    /** Closes the session's active socket on this instance (the session was deleted). */
    public void closeSession(String sessionId, int code, String reason) {
        SessionChannel channel = channels.get(sessionId);
        GatewaySocket socket = channel == null ? null : channel.active();
        if (socket != null) {
            socket.close(code, reason);
        }
    }
}
