package dev.codelab.gateway.ws;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import dev.codelab.shared.ratelimit.Redis;
import dev.codelab.shared.testing.TestInfra;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** A keep-alive's refresh of many sockets' session records in one round trip, against a real Redis. */
class SocketEventsTest {

    private final JedisPooled redis = Redis.connect(TestInfra.redisUrl());
    private final SocketEvents events = new SocketEvents(redis, "replica-1");
    private final String prefix = "session-" + UUID.randomUUID() + "-";

    @AfterEach
    void close() {
        redis.close();
    }

    @Test
    void eachSocketLearnsItsSessionsNewestEpochAndItsOwnRecordIsRefreshed() {
        String own = prefix + "own";
        String replaced = prefix + "replaced";
        String lost = prefix + "lost";
        redis.setex(SocketEvents.key(own), 5, "replica-1 100");
        redis.setex(SocketEvents.key(replaced), 5, "replica-2 300");

        long[] newest = events.stillHere(List.of(
                new SocketEvents.Held(own, 100),
                new SocketEvents.Held(replaced, 200),
                new SocketEvents.Held(lost, 50)));

        assertThat(newest[0], is(100L));
        assertThat(newest[1], is(300L));
        assertThat(newest[2], is(50L));
        assertThat(redis.get(SocketEvents.key(own)), is("replica-1 100"));
        assertThat(redis.ttl(SocketEvents.key(own)), allOf(greaterThan(5L), lessThanOrEqualTo(3600L)));
        assertThat(redis.get(SocketEvents.key(replaced)), is("replica-2 300"));
        assertThat(redis.get(SocketEvents.key(lost)), is("replica-1 50"));
    }

    @Test
    void aSocketWithoutARecordIsNotRecordedByTheRefresh() {
        String unrecorded = prefix + "unrecorded";

        long[] newest = events.stillHere(List.of(new SocketEvents.Held(unrecorded, 0)));

        assertThat(newest[0], is(0L));
        assertThat(redis.exists(SocketEvents.key(unrecorded)), is(false));
    }

    @Test
    void whenRedisCannotAnswerEverySocketKeepsItsOwnEpoch() {
        try (JedisPooled unreachable = Redis.connect("redis://127.0.0.1:1")) {
            SocketEvents cut = new SocketEvents(unreachable, "replica-1");

            long[] newest = cut.stillHere(
                    List.of(new SocketEvents.Held(prefix + "a", 7), new SocketEvents.Held(prefix + "b", 9)));

            assertThat(newest[0], is(7L));
            assertThat(newest[1], is(9L));
        }
    }
}
