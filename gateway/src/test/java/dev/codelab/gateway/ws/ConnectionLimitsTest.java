package dev.codelab.gateway.ws;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import dev.codelab.shared.ratelimit.Redis;
import dev.codelab.shared.testing.TestInfra;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** Open sockets per user in a real Redis: the keep-alive's refresh keeps a user's entries from ageing out. */
class ConnectionLimitsTest {

    private static final Duration STALE_AFTER = Duration.ofSeconds(90);

    private final JedisPooled redis = Redis.connect(TestInfra.redisUrl());
    private final ConnectionLimits limits = new ConnectionLimits(redis, 2, STALE_AFTER, false);
    private final String alice = "alice-" + UUID.randomUUID();
    private final String bob = "bob-" + UUID.randomUUID();

    @AfterEach
    void close() {
        redis.close();
    }

    @Test
    void aHeartbeatRefreshesTheEntryOfEveryConnectionItNames() {
        String key = "gw:ws:conns:" + alice;
        redis.zadd(key, 1, "c1");
        redis.zadd(key, 1, "c2");
        redis.zadd("gw:ws:conns:" + bob, 1, "c3");
        long before = System.currentTimeMillis();

        limits.heartbeat(List.of(admission(alice, "c1"), admission(bob, "c3")));

        assertThat(redis.zscore(key, "c1"), greaterThanOrEqualTo((double) before));
        assertThat(redis.zscore(key, "c2"), is(1.0));
        assertThat(redis.zscore("gw:ws:conns:" + bob, "c3"), greaterThanOrEqualTo((double) before));
        assertThat(
                redis.pttl(key),
                allOf(greaterThan(STALE_AFTER.toMillis()), lessThanOrEqualTo(STALE_AFTER.toMillis() * 2)));
    }

    @Test
    void entriesWithoutAHeartbeatStopCountingAgainstTheLimit() {
        redis.zadd("gw:ws:conns:" + alice, 1, "old-1");
        redis.zadd("gw:ws:conns:" + alice, 1, "old-2");

        assertThat(limits.reserve(alice, "new"), is(true));
        limits.heartbeat(List.of(admission(alice, "new")));
        assertThat(limits.reserve(alice, "newer"), is(true));
        assertThat(limits.reserve(alice, "newest"), is(false));
    }

    private static Admission admission(String userId, String connectionId) {
        return new Admission(userId, "session-1", 2, null, connectionId, false, "request-1");
    }
}
