package dev.codelab.gateway.ws;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.shared.embedded.EmbeddedRedisServer;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.ratelimit.Redis;
import dev.codelab.shared.testing.TestInfra;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/** The group-committed outbox: every concurrent append gets its own seq, stored under it, in order per session. */
class OutboxTest {

    private static final Duration TTL = Duration.ofMinutes(5);

    @Test
    void concurrentAppendsAreNumberedOnePerFrameAndStoredUnderTheirSeq() throws Exception {
        List<String> sessions = List.of(uuid(), uuid(), uuid());
        int perSession = 200;
        JedisPooled redis = Redis.connect(TestInfra.redisUrl());
        Answers seqs = new Answers();
        try (Outbox outbox = new Outbox(redis, 10_000, TTL);
             ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String session : sessions) {
                for (int i = 0; i < perSession; i++) {
                    int n = i;
                    senders.submit(() -> {
                        OptionalLong seq = outbox.append(session, frame(n));
                        seqs.of(session).add(seq.orElseThrow() + ":" + n);
                    });
                }
            }
            senders.shutdown();
            senders.close();
            for (String session : sessions) {
                List<String> expected = new ArrayList<>();
                for (ObjectNode stored : outbox.since(session, 0)) {
                    expected.add(stored.get("seq").asLong() + ":" + stored.get("n").asInt());
                }
                assertThat(expected.size(), is(perSession));
                for (int i = 0; i < perSession; i++) {
                    assertThat(Long.parseLong(expected.get(i).split(":")[0]), is(i + 1L));
                }
                List<String> answered = new ArrayList<>(seqs.of(session));
                answered.sort((a, b) -> Long.compare(Long.parseLong(a.split(":")[0]), Long.parseLong(b.split(":")[0])));
                assertThat("each caller got the seq its frame is stored under", answered, is(expected));
                assertThat(outbox.since(session, perSession - 2).size(), is(2));
            }
        } finally {
            redis.close();
        }
    }

    @Test
    void withoutRedisOrAfterCloseAnAppendGetsNoSeqInsteadOfWaiting() {
        try (EmbeddedRedisServer own = TestInfra.ownRedis()) {
            JedisPooled redis = Redis.connect(own.url());
            Outbox outbox = new Outbox(redis, 100, TTL);
            String session = uuid();
            assertThat(outbox.append(session, frame(1)), is(OptionalLong.of(1)));
            own.close();
            assertThat(outbox.append(session, frame(2)), is(OptionalLong.empty()));
            outbox.close();
            assertThat(outbox.append(session, frame(3)), is(OptionalLong.empty()));
            redis.close();
        }
    }

    private static ObjectNode frame(int n) {
        return Json.MAPPER.createObjectNode().put("type", "assistant_message").put("n", n);
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
