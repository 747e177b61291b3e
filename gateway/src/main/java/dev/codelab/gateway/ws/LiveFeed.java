package dev.codelab.gateway.ws;

import dev.codelab.shared.ratelimit.Redis;
import java.lang.System.Logger.Level;
import java.time.Duration;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

/**
 * This replica's one subscriber connection to Redis, on its own channel {@code gw:ws:replica:{id}}: what other
 * replicas send about sessions whose socket is here, handed to the {@link Listener}. Messages name their session:
 * a frame stored elsewhere ({@code f<session> <seq> <json>}, published by the {@link Outbox} in seq order), a newer
 * socket of the session elsewhere ({@code a<session> <epoch>}), the session was deleted ({@code d<session>}), cancel
 * the turn recorded under this token ({@code c<session> <token>}), the turn record another replica held was released
 * ({@code e<session>}).
 *
 * <p>The connection is its own, not from the command pool, and is opened again whenever it breaks (a Redis
 * restart); {@link Listener#reconnected} then lets every socket re-read what it missed from the outbox, by seq. A
 * Redis that vanishes without closing the connection is noticed by {@link #checkAlive}.
 */
final class LiveFeed implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LiveFeed.class.getName());
    private static final long FIRST_RETRY_MILLIS = 50;
    private static final long MAX_RETRY_MILLIS = 2000;

    /** Receives what the channel carries, on the feed's thread, in the order published. */
    interface Listener {
        void frame(String sessionId, long seq, String json);

        void socketAttached(String sessionId, long epoch);

        void sessionDeleted(String sessionId);

        void cancelRequested(String sessionId, String token);

        void turnReleased(String sessionId);

        /** The channel is (again) subscribed: whatever was published before may have been missed. */
        void reconnected();
    }

    private final String redisUrl;
    private final String channel;
    private final Listener listener;
    private final Object lock = new Object();
    private final Thread thread;
    /** The subscription that may take commands; {@code null} while (re)connecting. Guarded by {@link #lock}. */
    private Subscription current;

    private volatile Jedis connection;
    private volatile long lastPongNanos;
    private volatile boolean closed;

    LiveFeed(String redisUrl, String replicaId, Listener listener) {
        this.redisUrl = redisUrl;
        this.channel = channel(replicaId);
        this.listener = listener;
        this.thread = Thread.ofVirtual().name("ws-live-feed").start(this::run);
    }

    static String channel(String replicaId) {
        return "gw:ws:replica:" + replicaId;
    }

    /** Whether the feed listens right now. */
    boolean connected() {
        synchronized (lock) {
            return current != null;
        }
    }

    /**
     * Pings Redis over the feed's connection; drops the connection (so that it is opened again) when no pong came
     * within {@code limit}: a Redis host that vanished never closes the connection itself.
     */
    void checkAlive(Duration limit) {
        synchronized (lock) {
            if (current == null) {
                return;
            }
            if (System.nanoTime() - lastPongNanos > limit.toNanos()) {
                LOG.log(
                        Level.WARNING,
                        "The live feed got no pong from Redis for " + limit.toSeconds() + " s; reconnecting");
                dropConnection();
                return;
            }
            try {
                current.ping();
            } catch (JedisException e) {
                dropConnection();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        dropConnection();
        thread.interrupt();
    }

    private void dropConnection() {
        Jedis open = connection;
        if (open != null) {
            try {
                open.close();
            } catch (JedisException e) {
                LOG.log(Level.DEBUG, "Closing the live feed's connection: " + e.getMessage());
            }
        }
    }

    private void run() {
        long retryMillis = FIRST_RETRY_MILLIS;
        boolean warned = false;
        while (!closed) {
            Subscription subscription = new Subscription();
            try (Jedis jedis = Redis.dedicated(redisUrl)) {
                connection = jedis;
                jedis.subscribe(subscription, channel);
            } catch (JedisException e) {
                if (!closed && (!warned || subscription.wasConnected)) {
                    LOG.log(
                            Level.WARNING,
                            "The live feed lost Redis (" + e.getMessage() + "); sockets get the frames "
                                    + "of other replicas once it is back, from the outbox");
                    warned = true;
                }
            } finally {
                synchronized (lock) {
                    current = null;
                }
                connection = null;
            }
            if (subscription.wasConnected) {
                retryMillis = FIRST_RETRY_MILLIS;
                warned = false;
            }
            try {
                Thread.sleep(retryMillis);
            } catch (InterruptedException e) {
                return;
            }
            retryMillis = Math.min(MAX_RETRY_MILLIS, retryMillis * 2);
        }
    }

    private final class Subscription extends JedisPubSub {

        private volatile boolean wasConnected;

        @Override
        public void onSubscribe(String subscribed, int subscribedChannels) {
            synchronized (lock) {
                wasConnected = true;
                lastPongNanos = System.nanoTime();
                current = this;
            }
            dispatch(listener::reconnected);
        }

        @Override
        public void onPong(String pattern) {
            lastPongNanos = System.nanoTime();
        }

        @Override
        public void onMessage(String from, String message) {
            dispatch(() -> handle(message));
        }

        private void handle(String message) {
            int space = message.indexOf(' ');
            String sessionId = message.substring(1, space < 0 ? message.length() : space);
            String rest = space < 0 ? "" : message.substring(space + 1);
            switch (message.charAt(0)) {
                case 'f' -> {
                    int json = rest.indexOf(' ');
                    listener.frame(sessionId, Long.parseLong(rest, 0, json, 10), rest.substring(json + 1));
                }
                case 'a' -> listener.socketAttached(sessionId, Long.parseLong(rest));
                case 'd' -> listener.sessionDeleted(sessionId);
                case 'c' -> listener.cancelRequested(sessionId, rest);
                case 'e' -> listener.turnReleased(sessionId);
                default ->
                    LOG.log(Level.WARNING, "Unknown live feed message " + message.charAt(0) + " for " + sessionId);
            }
        }

        /** One failure must not end the subscription for every other session. */
        private void dispatch(Runnable action) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "Handling a live feed message failed", e);
            }
        }
    }
}
