package dev.codelab.gateway.ws;

import java.lang.System.Logger.Level;
import java.time.Duration;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Keeps {@code gw:replica:{id}} alive in Redis while this replica runs: a replica whose key expired is dead, and
 * its running turns are ended for their clients by whichever replica notices ({@link TurnClaims}). Every beat also
 * checks what only time reveals: whether the live feed still hears from Redis, whether a replica died while
 * running a turn of a session that has a socket here, and whether a turn record could not be released earlier.
 */
final class ReplicaHeartbeat implements AutoCloseable {

    static final Duration INTERVAL = Duration.ofSeconds(5);
    /** Three beats: a replica is dead once it missed that many. */
    static final Duration TTL = INTERVAL.multipliedBy(3);

    private static final System.Logger LOG = System.getLogger(ReplicaHeartbeat.class.getName());

    private final JedisPooled redis;
    private final String key;
    private final SocketRegistry registry;
    private final TurnClaims claims;
    private final Thread thread;

    ReplicaHeartbeat(JedisPooled redis, String replicaId, SocketRegistry registry, TurnClaims claims) {
        this.redis = redis;
        this.key = "gw:replica:" + replicaId;
        this.registry = registry;
        this.claims = claims;
        beat(); // before the first turn is recorded, so that no other replica takes this one for dead
        this.thread = Thread.ofVirtual().name("ws-replica-heartbeat").start(this::loop);
    }

    private void loop() {
        try {
            while (true) {
                Thread.sleep(INTERVAL);
                beat();
                try {
                    claims.retryReleases();
                    registry.checkHealth(TTL);
                } catch (RuntimeException e) {
                    LOG.log(Level.ERROR, "A heartbeat check failed", e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void beat() {
        try {
            redis.setex(key, TTL.toSeconds(), "1");
        } catch (JedisException e) {
            LOG.log(Level.DEBUG, "Heartbeat not stored: " + e.getMessage());
        }
    }

    /** Stops beating and removes the key: a replica that shut down gracefully has no turn left running. */
    @Override
    public void close() {
        thread.interrupt();
        try {
            redis.del(key);
        } catch (JedisException e) {
            LOG.log(Level.DEBUG, "Heartbeat key not removed: " + e.getMessage());
        }
    }
}
