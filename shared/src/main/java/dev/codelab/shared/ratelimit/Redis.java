package dev.codelab.shared.ratelimit;

import java.net.URI;
import java.time.Duration;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.JedisPooled;

/**
 * Opens Redis clients with short timeouts, so a dead Redis costs a request milliseconds, not seconds.
 */
public final class Redis {

    private static final int TIMEOUT_MILLIS = 500;
    /** The connections a pooled client keeps (Jedis's default), shared by all of a service's virtual threads. */
    static final int POOL_SIZE = 8;
    /** How long a command waits for a free connection before it fails as a command to a dead Redis does. */
    static final Duration POOL_WAIT = Duration.ofSeconds(2);

    private Redis() {}

    /** A pooled client for commands. @param url {@code redis://[:password@]host:port[/db]} */
    public static JedisPooled connect(String url) {
        URI uri = URI.create(url);
        return new JedisPooled(address(uri), config(uri), pool());
    }

    /**
     * One connection of its own, outside any pool: for a subscriber, which holds its connection for as long as it
     * listens.
     */
    public static Jedis dedicated(String url) {
        URI uri = URI.create(url);
        return new Jedis(address(uri), config(uri));
    }

    private static ConnectionPoolConfig pool() {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(POOL_SIZE);
        pool.setMaxIdle(POOL_SIZE);
        // Bounded, a borrower that finds every connection taken and one being made waits for it; unbounded (the
        // default), commons-pool2 2.12 and 2.13 spin on their lock instead: a fifth of the gateway's allocation
        // (Instants and Durations) while 10 000 sockets opened.
        pool.setMaxWait(POOL_WAIT);
        return pool;
    }

    private static HostAndPort address(URI uri) {
        return new HostAndPort(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort());
    }

    private static JedisClientConfig config(URI uri) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(TIMEOUT_MILLIS)
                .socketTimeoutMillis(TIMEOUT_MILLIS);
        String userInfo = uri.getUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            if (colon >= 0) {
                if (colon > 0) {
                    config.user(userInfo.substring(0, colon));
                }
                config.password(userInfo.substring(colon + 1));
            } else {
                config.password(userInfo);
            }
        }
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            config.database(Integer.parseInt(path.substring(1)));
        }
        return config.build();
    }
}
