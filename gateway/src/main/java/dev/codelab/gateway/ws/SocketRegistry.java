package dev.codelab.gateway.ws;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The sockets and session channels of this gateway replica. A channel lives while a socket or a worker uses it
 * (counted inside the map's atomic operations), so two sockets of one session always share one. What other
 * replicas send about a session ({@link LiveFeed}) goes to its channel here, if it has one.
 */
public final class SocketRegistry implements AutoCloseable {

    private final Outbox outbox;
    private final TurnClaims claims;
    private final SocketEvents events;
    private final FeedCatchUp feedCatchUp;
    private final Map<String, SessionChannel> channels = new ConcurrentHashMap<>();
    private final Set<GatewaySocket> sockets = ConcurrentHashMap.newKeySet();
    private final LiveFeed feed;

    SocketRegistry(Outbox outbox, TurnClaims claims, SocketEvents events, String redisUrl, String replicaId) {
        this.outbox = outbox;
        this.claims = claims;
        this.events = events;
        this.feedCatchUp = new FeedCatchUp(outbox, events);
        this.feed = new LiveFeed(redisUrl, replicaId, new FeedListener());
    }

    SessionChannel acquire(String sessionId) {
        return channels.compute(sessionId, (id, channel) -> {
            SessionChannel used = channel == null ? new SessionChannel(id, outbox, claims) : channel;
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

    /** Whether every socket here has been handed every frame of its session seen here (or the feed is down). */
    boolean socketsCaughtUp() {
        return !feed.connected() || channels.values().stream().allMatch(SessionChannel::caughtUp);
    }

    /**
     * The periodic work of {@link ReplicaHeartbeat}: is the feed alive, did a replica die mid-turn. Only the sessions
     * with a socket here and a turn recorded by another replica can have such a turn, so only they run the script.
     */
    void checkHealth(Duration feedSilenceLimit) {
        feed.checkAlive(feedSilenceLimit);
        List<String> withSocket = channels.values().stream()
                .filter(channel -> channel.active() != null)
                .map(SessionChannel::sessionId)
                .toList();
        for (String sessionId : claims.recordedElsewhere(withSocket)) {
            SessionChannel channel = channels.get(sessionId);
            if (channel != null) {
                channel.endTurnOfDeadReplica();
            }
        }
    }

    /** Closes the session's socket, on this replica or the one holding it (the session was deleted). */
    public void closeSession(String sessionId) {
        SessionChannel channel = channels.get(sessionId);
        GatewaySocket socket = channel == null ? null : channel.active();
        if (socket != null) {
            socket.sessionDeleted();
        }
        events.deleted(sessionId);
    }

    @Override
    public void close() {
        feed.close();
    }

    /** Hands what a session's Redis channel carries to the session's channel here, if it still has one. */
    private final class FeedListener implements LiveFeed.Listener {

        @Override
        public void frame(String sessionId, long seq, String json) {
            on(sessionId, channel -> channel.frameArrived(seq, json));
        }

        @Override
        public void socketAttached(String sessionId, long epoch) {
            on(sessionId, channel -> channel.socketAttached(epoch));
        }

        @Override
        public void sessionDeleted(String sessionId) {
            on(sessionId, SessionChannel::deleted);
        }

        @Override
        public void cancelRequested(String sessionId, String token) {
            on(sessionId, channel -> channel.cancelRequested(token));
        }

        @Override
        public void turnReleased(String sessionId) {
            on(sessionId, SessionChannel::wakeWaitingTurn);
        }

        @Override
        public void reconnected() {
            feedCatchUp.run(List.copyOf(channels.values()));
        }

        private void on(String sessionId, Consumer<SessionChannel> action) {
            SessionChannel channel = channels.get(sessionId);
            if (channel != null) {
                action.accept(channel);
            }
        }
    }
}
