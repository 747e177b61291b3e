package dev.codelab.shared.ratelimit;

import java.net.URI;
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

    private Redis() {}

    /** A pooled client for commands. @param url {@code redis://[:password@]host:port[/db]} */
    public static JedisPooled connect(String url) {
        URI uri = URI.create(url);
        return new JedisPooled(address(uri), config(uri));
    }

    /**
     * One connection of its own, outside any pool: for a subscriber, which holds its connection for as long as it
     * listens.
     */
    public static Jedis dedicated(String url) {
        URI uri = URI.create(url);
        return new Jedis(address(uri), config(uri));
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
