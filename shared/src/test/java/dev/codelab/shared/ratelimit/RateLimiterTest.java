package dev.codelab.shared.ratelimit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import dev.codelab.shared.embedded.EmbeddedRedisServer;
import dev.codelab.shared.testing.TestInfra;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

class RateLimiterTest {

    @Test
    void countsHitsInAFixedWindowAndTellsTheRealReset() {
        RateLimiter limiter = new RateLimiter(Redis.connect(TestInfra.redisUrl()), true);
        String key = "test:" + UUID.randomUUID();

        for (int i = 1; i <= 3; i++) {
            RateLimiter.Decision d = limiter.hit(key, 3, 60);
            assertThat(d.allowed(), is(true));
            assertThat(d.remaining(), is((long) 3 - i));
        }
        RateLimiter.Decision fourth = limiter.hit(key, 3, 60);
        assertThat(fourth.allowed(), is(false));
        assertThat(fourth.remaining(), is(0L));
        assertThat(fourth.resetSeconds(), allOf(greaterThan(0L), lessThanOrEqualTo(60L)));
        assertThat(limiter.count(key), is(4L));

        limiter.reset(key);
        assertThat(limiter.hit(key, 3, 60).allowed(), is(true));
    }

    @Test
    void failsOpenOrClosedWhenRedisIsDownAndRecoversWhenItReturns() {
        try (EmbeddedRedisServer redis = TestInfra.ownRedis()) {
            JedisPooled jedis = Redis.connect(redis.url());
            RateLimiter open = new RateLimiter(jedis, true);
            RateLimiter closed = new RateLimiter(jedis, false);
            assertThat(open.hit("k", 1, 60).redisUnavailable(), is(false));

            redis.close();
            RateLimiter.Decision whenOpen = open.hit("k", 1, 60);
            RateLimiter.Decision whenClosed = closed.hit("k", 1, 60);
            assertThat(whenOpen.allowed(), is(true));
            assertThat(whenOpen.redisUnavailable(), is(true));
            assertThat(whenClosed.allowed(), is(false));

            redis.restart();
            RateLimiter.Decision back = closed.hit("k2", 1, 60);
            assertThat(back.redisUnavailable(), is(false));
            assertThat(back.allowed(), is(true));
            assertThat(closed.hit("k2", 1, 60).allowed(), is(false));
        }
    }
}
