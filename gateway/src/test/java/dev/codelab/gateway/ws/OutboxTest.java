package dev.codelab.gateway.ws;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import dev.codelab.shared.embedded.EmbeddedRedisServer;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.ratelimit.Redis;
import dev.codelab.shared.testing.TestInfra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisPubSub;

/**
 * The group-committed outbox: every concurrent append gets its own seq, stored under it and published on the
 * session's channel, in order per session; the counter never falls below what a replica has seen.
 */
class OutboxTest {

    private static final Duration TTL = Duration.ofMinutes(5);

    @Test
    void concurrentAppendsAreNumberedOnePerFrameAndStoredUnderTheirSeq() throws Exception {
        List<String> sessions = List.of(uuid(), uuid(), uuid());
        int perSession = 200;
        JedisPooled redis = Redis.connect(TestInfra.redisUrl());
        Answers seqs = new Answers();
        try (Outbox outbox = new Outbox(redis, "replica-1", 10_000, TTL);
                ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String session : sessions) {
                for (int i = 0; i < perSession; i++) {
                    int n = i;
                    senders.submit(() -> {
                        OptionalLong seq = outbox.append(session, frame(n), 0, false);
                        seqs.of(session).add(seq.orElseThrow() + ":" + n);
                    });
                }
            }
            senders.shutdown();
            senders.close();
            for (String session : sessions) {
                List<String> expected = new ArrayList<>();
                for (Outbox.Stored stored : outbox.range(session, 0, Long.MAX_VALUE)) {
                    expected.add(stored.seq() + ":"
                            + Json.read(stored.json()).get("n").asInt());
                }
                assertThat(expected.size(), is(perSession));
                for (int i = 0; i < perSession; i++) {
                    assertThat(Long.parseLong(expected.get(i).split(":")[0]), is(i + 1L));
                }
                List<String> answered = new ArrayList<>(seqs.of(session));
                answered.sort((a, b) -> Long.compare(Long.parseLong(a.split(":")[0]), Long.parseLong(b.split(":")[0])));
                assertThat("each caller got the seq its frame is stored under", answered, is(expected));
                assertThat(outbox.range(session, perSession - 2, Long.MAX_VALUE).size(), is(2));
                assertThat(
                        outbox.range(session, 10, 14).stream()
                                .map(Outbox.Stored::seq)
                                .toList(),
                        contains(11L, 12L, 13L));
            }
        } finally {
            redis.close();
        }
    }

    @Test
    void aFrameIsPublishedToTheReplicaHoldingTheSessionsSocketWhenThatIsAnotherOne() throws Exception {
        String session = uuid();
        BlockingQueue<String> published = new LinkedBlockingQueue<>();
        CountDownLatch subscribed = new CountDownLatch(1);
        JedisPubSub otherReplica = new JedisPubSub() {
            @Override
            public void onSubscribe(String channel, int count) {
                subscribed.countDown();
            }

            @Override
            public void onMessage(String channel, String message) {
                published.add(message);
            }
        };
        JedisPooled redis = Redis.connect(TestInfra.redisUrl());
        try (Jedis subscriber = Redis.dedicated(TestInfra.redisUrl());
                Outbox outbox = new Outbox(redis, "replica-1", 1000, TTL)) {
            Thread.ofVirtual()
                    .start(() -> subscriber.subscribe(
                            otherReplica, LiveFeed.channel("replica-2"), LiveFeed.channel("replica-1")));
            assertThat(subscribed.await(10, TimeUnit.SECONDS), is(true));
            outbox.append(session, frame(1), 0, false);
            redis.set(SocketEvents.key(session), "replica-2 17");
            outbox.append(session, frame(2), 0, false);
            outbox.append(session, frame(3), 0, false);
            redis.set(SocketEvents.key(session), "replica-1 18");
            outbox.append(session, frame(4), 0, false);
            redis.set(SocketEvents.key(session), "replica-2 19");
            outbox.append(session, frame(5), 0, false);
            assertThat(
                    published.poll(10, TimeUnit.SECONDS),
                    is("f" + session + " 2 {\"type\":\"assistant_message\",\"n\":2}"));
            assertThat(
                    published.poll(10, TimeUnit.SECONDS),
                    is("f" + session + " 3 {\"type\":\"assistant_message\",\"n\":3}"));
            assertThat(
                    "nothing for a socket on this replica, nor without one",
                    published.poll(10, TimeUnit.SECONDS),
                    is("f" + session + " 5 {\"type\":\"assistant_message\",\"n\":5}"));
            otherReplica.unsubscribe();
        } finally {
            redis.close();
        }
    }

    @Test
    void afterRedisLostTheCounterTheNextSeqIsAboveWhatTheReplicaHasSeen() {
        String session = uuid();
        JedisPooled redis = Redis.connect(TestInfra.redisUrl());
        try (Outbox outbox = new Outbox(redis, "replica-1", 1000, TTL)) {
            assertThat(outbox.append(session, frame(1), 0, false), is(OptionalLong.of(1)));
            redis.del("gw:ws:seq:" + session, "gw:ws:outbox:" + session);
            assertThat(outbox.append(session, frame(2), 41, false), is(OptionalLong.of(42)));
            assertThat(outbox.append(session, frame(3), 0, false), is(OptionalLong.of(43)));
            assertThat(outbox.counterAtLeast(session, 100), is(OptionalLong.of(100)));
            assertThat(outbox.counterAtLeast(session, 7), is(OptionalLong.of(100)));
            assertThat(outbox.append(session, frame(4), 0, false), is(OptionalLong.of(101)));
        } finally {
            redis.close();
        }
    }

    @Test
    void theCountersOfManySessionsAreReadAtOnceAndCannotSayWithoutRedis() {
        String counted = uuid();
        String raised = uuid();
        String unknown = uuid();
        JedisPooled redis = Redis.connect(TestInfra.redisUrl());
        try (Outbox outbox = new Outbox(redis, "replica-1", 1000, TTL)) {
            outbox.append(counted, frame(1), 0, false);
            outbox.append(counted, frame(2), 0, false);
            outbox.counterAtLeast(raised, 40);

            assertThat(outbox.counters(List.of(counted, raised, unknown)), is(new long[] {2, 40, 0}));
        } finally {
            redis.close();
        }
        try (JedisPooled unreachable = Redis.connect("redis://127.0.0.1:1");
                Outbox outbox = new Outbox(unreachable, "replica-1", 1000, TTL)) {
            assertThat(outbox.counters(List.of(counted, raised)), is(new long[] {Long.MAX_VALUE, Long.MAX_VALUE}));
        }
    }

    @Test
    void aRedisThatForgotTheScriptGetsItAgainAndNothingIsLost() {
        String session = uuid();
        JedisPooled redis = Redis.connect(TestInfra.redisUrl());
        try (Outbox outbox = new Outbox(redis, "replica-1", 1000, TTL)) {
            assertThat(outbox.append(session, frame(1), 0, false), is(OptionalLong.of(1)));
            redis.scriptFlush();
            assertThat(outbox.append(session, frame(2), 0, false), is(OptionalLong.of(2)));
            assertThat(outbox.range(session, 0, Long.MAX_VALUE).size(), is(2));
        } finally {
            redis.close();
        }
    }

    @Test
    void withoutRedisOrAfterCloseAnAppendGetsNoSeqInsteadOfWaiting() {
        try (EmbeddedRedisServer own = TestInfra.ownRedis()) {
            JedisPooled redis = Redis.connect(own.url());
            Outbox outbox = new Outbox(redis, "replica-1", 100, TTL);
            String session = uuid();
            assertThat(outbox.append(session, frame(1), 0, false), is(OptionalLong.of(1)));
            own.close();
            assertThat(outbox.append(session, frame(2), 0, false), is(OptionalLong.empty()));
            outbox.close();
            assertThat(outbox.append(session, frame(3), 0, false), is(OptionalLong.empty()));
            redis.close();
        }
    }

    private static String frame(int n) {
        return Json.write(
                Json.MAPPER.createObjectNode().put("type", "assistant_message").put("n", n));
    }

    private static String uuid() {
        return "outbox-" + UUID.randomUUID();
    }

    /** Answers per session, filled from many threads. */
    private static final class Answers {
        private final ConcurrentHashMap<String, ConcurrentLinkedQueue<String>> bySession = new ConcurrentHashMap<>();

        ConcurrentLinkedQueue<String> of(String session) {
            return bySession.computeIfAbsent(session, s -> new ConcurrentLinkedQueue<>());
        }
    }
}
