package dev.codelab.gateway.ws;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import dev.codelab.shared.ratelimit.Redis;
import dev.codelab.shared.testing.TestInfra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/** Which sessions' turns are recorded by another replica, read from a real Redis in batches. */
class TurnClaimsTest {

    private final JedisPooled redis = Redis.connect(TestInfra.redisUrl());
    private final Outbox outbox = new Outbox(redis, "replica-1", 1000, Duration.ofMinutes(5));
    private final TurnClaims claims = new TurnClaims(outbox, redis, "replica-1");
    private final String prefix = "session-" + UUID.randomUUID() + "-";

    @AfterEach
    void close() {
        outbox.close();
        redis.close();
    }

    @Test
    void onlyTheSessionsWhoseTurnAnotherReplicaRecordedAreFound() {
        redis.set(TurnClaims.key(prefix + "elsewhere"), "running replica-2 replica-2.1");
        redis.set(TurnClaims.key(prefix + "cancelling"), "cancel replica-3 replica-3.7");
        redis.set(TurnClaims.key(prefix + "here"), "running replica-1 replica-1.4");

        assertThat(
                claims.recordedElsewhere(
                        List.of(prefix + "elsewhere", prefix + "here", prefix + "none", prefix + "cancelling")),
                containsInAnyOrder(prefix + "elsewhere", prefix + "cancelling"));
    }

    @Test
    void sessionsBeyondTheFirstBatchAreReadToo() {
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < RedisBatches.SIZE * 2 + 7; i++) {
            sessions.add(prefix + i);
        }
        String last = sessions.getLast();
        String firstOfSecondBatch = sessions.get(RedisBatches.SIZE);
        redis.set(TurnClaims.key(last), "running replica-2 replica-2.1");
        redis.set(TurnClaims.key(firstOfSecondBatch), "winding replica-2 replica-2.2");

        assertThat(claims.recordedElsewhere(sessions), containsInAnyOrder(firstOfSecondBatch, last));
    }

    @Test
    void nothingIsFoundWhenRedisCannotAnswer() {
        JedisPooled unreachable = Redis.connect("redis://127.0.0.1:1");
        TurnClaims cut = new TurnClaims(outbox, unreachable, "replica-1");
        redis.set(TurnClaims.key(prefix + "elsewhere"), "running replica-2 replica-2.1");

        assertThat(cut.recordedElsewhere(List.of(prefix + "elsewhere")), is(empty()));
        unreachable.close();
    }
}
