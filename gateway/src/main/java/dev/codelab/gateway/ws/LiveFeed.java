package dev.codelab.gateway.ws;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import dev.codelab.shared.ratelimit.Redis;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

/**
 * This replica's one subscriber connection to Redis: it listens on the channel of every session that has a channel
 * here ({@link SocketRegistry}) and hands what arrives to the {@link Listener}. A channel carries the session's
 * frames in {@code seq} order ({@code f<seq> <json>}, published by the {@link Outbox}) and its events: a socket
 * attached on some replica ({@code a<epoch>}), the session was deleted ({@code d}), a cancel for the turn with this
 * token ({@code c<token>}), the turn's record was released ({@code e}).
 *
 * <p>The connection is its own, not from the command pool, and is re-opened whenever it breaks (a Redis restart):
 * every channel is then subscribed again and {@link Listener#subscribed} lets each socket re-read what it missed
 * from the outbox, by seq. A Redis that vanishes without closing the connection is noticed by {@link #checkAlive}.
 */
final class LiveFeed implements AutoCloseable {

    static final String SESSION_CHANNEL_PREFIX = "gw:ws:live:";
    private static final System.Logger LOG = System.getLogger(LiveFeed.class.getName());
    private static final long FIRST_RETRY_MILLIS = 50;
    private static final long MAX_RETRY_MILLIS = 2000;

    /** Receives what the channels carry, on the feed's thread, in the order published. */
    interface Listener {
        void frame(String sessionId, long seq, String json);

        void socketAttached(String sessionId, long epoch);

        void sessionDeleted(String sessionId);

        void cancelRequested(String sessionId, String token);

        void turnReleased(String sessionId);

        /** The channel is (again) subscribed: whatever was published before may have been missed. */
        void subscribed(String sessionId);
    }

    private final String redisUrl;
    private final String replicaChannel;
    private final Listener listener;
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private final Thread thread;
    /** The subscription that may take commands; {@code null} while (re)connecting. Guarded by {@link #lock}. */
    private Subscription current;
    private volatile Jedis connection;
    private volatile long lastPongNanos;
    private volatile boolean closed;

    LiveFeed(String redisUrl, String replicaId, Listener listener) {
        this.redisUrl = redisUrl;
        // Subscribed for as long as the connection lives, so that the subscription never ends for lack of channels.
        this.replicaChannel = "gw:ws:replica:" + replicaId;
        this.listener = listener;
        this.thread = Thread.ofVirtual().name("ws-live-feed").start(this::run);
    }

    void subscribe(String sessionId) {
        synchronized (lock) {
            sessions.add(sessionId);
            command(subscription -> subscription.subscribe(Outbox.channel(sessionId)));
        }
    }

    void unsubscribe(String sessionId) {
        synchronized (lock) {
            sessions.remove(sessionId);
            command(subscription -> subscription.unsubscribe(Outbox.channel(sessionId)));
        }
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
                LOG.log(Level.WARNING, "The live feed got no pong from Redis for " + limit.toSeconds() + " s; reconnecting");
                dropConnection();
                return;
            }
            command(JedisPubSub::ping);
        }
    }

    @Override
    public void close() {
        closed = true;
        dropConnection();
        thread.interrupt();
    }

    private void command(Consumer<Subscription> command) {
        if (current == null) {
            return; // sent with the others once the connection is back
        }
        try {
            command.accept(current);
        } catch (JedisException e) {
            dropConnection();
        }
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
                jedis.subscribe(subscription, replicaChannel);
            } catch (JedisException e) {
                if (!closed && (!warned || subscription.wasConnected)) {
                    LOG.log(Level.WARNING, "The live feed lost Redis (" + e.getMessage() + "); sockets get their frames "
                            + "once it is back, from the outbox");
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
        public void onSubscribe(String channel, int subscribedChannels) {
            if (channel.equals(replicaChannel)) {
                synchronized (lock) {
                    wasConnected = true;
                    lastPongNanos = System.nanoTime();
                    current = this;
                    if (!sessions.isEmpty()) {
                        command(subscription -> subscription.subscribe(
                                sessions.stream().map(Outbox::channel).toArray(String[]::new)));
                    }
                }
            } else if (channel.startsWith(SESSION_CHANNEL_PREFIX)) {
                dispatch(() -> listener.subscribed(channel.substring(SESSION_CHANNEL_PREFIX.length())));
            }
        }

        @Override
        public void onPong(String pattern) {
            lastPongNanos = System.nanoTime();
        }

        @Override
        public void onMessage(String channel, String message) {
            if (!channel.startsWith(SESSION_CHANNEL_PREFIX) || message.isEmpty()) {
                return;
            }
            String sessionId = channel.substring(SESSION_CHANNEL_PREFIX.length());
            dispatch(() -> {
                switch (message.charAt(0)) {
                    case 'f' -> {
                        int space = message.indexOf(' ');
                        listener.frame(sessionId, Long.parseLong(message, 1, space, 10), message.substring(space + 1));
                    }
                    case 'a' -> listener.socketAttached(sessionId, Long.parseLong(message, 1, message.length(), 10));
                    case 'd' -> listener.sessionDeleted(sessionId);
                    case 'c' -> listener.cancelRequested(sessionId, message.substring(1));
                    case 'e' -> listener.turnReleased(sessionId);
                    default -> LOG.log(Level.WARNING, "Unknown message on " + channel + ": " + message.charAt(0));
                }
            });
        }

        /** One listener failure must not end the subscription of every other session. */
        private void dispatch(Runnable action) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "Handling a live feed message failed", e);
            }
        }
    }
}
