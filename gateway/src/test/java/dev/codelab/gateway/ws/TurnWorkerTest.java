package dev.codelab.gateway.ws;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import dev.codelab.shared.http.Json;
import dev.codelab.shared.ratelimit.Redis;
import dev.codelab.shared.testing.TestInfra;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * A socket's turn worker runs a thread only while frames wait, one at a time, and is done with the session's channel
 * once, after the socket closed and its last turn ended: the threads are started by hand here ({@link ManualThreads}),
 * the turns run through a real {@link SessionChannel} over Redis.
 */
class TurnWorkerTest {

    private final JedisPooled redis = Redis.connect(TestInfra.redisUrl());
    private final Outbox outbox = new Outbox(redis, "replica-1", 1000, Duration.ofMinutes(5));
    private final String sessionId = "session-" + UUID.randomUUID();
    private final SessionChannel channel =
            new SessionChannel(sessionId, outbox, new TurnClaims(outbox, redis, "replica-1"));
    private final ManualThreads threads = new ManualThreads();
    private final List<String> ran = new CopyOnWriteArrayList<>();
    private final AtomicInteger exits = new AtomicInteger();
    private TurnWorker.TurnBody onTurn = (turn, requestId) -> {};
    private final TurnWorker worker = new TurnWorker(
            channel,
            (turn, requestId) -> {
                ran.add(turn.frame().json().path("content").asText(turn.frame().type()) + " as " + requestId);
                onTurn.run(turn, requestId);
            },
            "req",
            exits::incrementAndGet,
            threads);

    @AfterEach
    void close() {
        outbox.close();
        redis.close();
    }

    @Test
    void anIdleWorkerHasNoThreadAndTheFirstFrameStartsOneThatRunsEveryWaitingFrameInOrder() {
        assertThat(threads.started(), is(empty()));

        worker.submit(message("one"));
        worker.submit(message("two"));

        assertThat(threads.started(), contains("ws-worker-" + sessionId));
        assertThat("the reader never runs a turn", ran, is(empty()));
        threads.runNext();
        assertThat(ran, contains("one as req-1", "two as req-2"));
        assertThat(threads.pending(), is(0));
        assertThat("the socket is still open: the channel stays in use", exits.get(), is(0));
    }

    @Test
    void aTurnThatThrowsIsLoggedAndTheWorkerGoesOnWithTheNextFrameKeepingTheChannel() {
        onTurn = (turn, requestId) -> {
            if (requestId.equals("req-1")) {
                throw new IllegalStateException("a bug in a turn");
            }
        };

        worker.submit(message("one"));
        worker.submit(message("two"));
        threads.runNext();

        assertThat(ran, contains("one as req-1", "two as req-2"));
        assertThat("the socket is still open: the channel stays in use", exits.get(), is(0));
    }

    @Test
    void aFrameAfterTheQueueRanDryStartsTheNextThread() {
        worker.submit(message("one"));
        threads.runNext();

        worker.submit(message("two"));

        assertThat(threads.started(), contains("ws-worker-" + sessionId, "ws-worker-" + sessionId));
        threads.runNext();
        assertThat(ran, contains("one as req-1", "two as req-2"));
    }

    @Test
    void aFrameArrivingDuringATurnRunsOnTheSameThreadAfterIt() {
        onTurn = (turn, requestId) -> {
            if (requestId.equals("req-1")) {
                worker.submit(message("two"));
            }
        };
        worker.submit(message("one"));

        threads.runNext();

        assertThat(ran, contains("one as req-1", "two as req-2"));
        assertThat(threads.started(), contains("ws-worker-" + sessionId));
    }

    @Test
    void aSocketClosedWhileNoTurnRunsIsDoneWithTheChannelAtOnceAndRunsNothingMore() {
        worker.submit(message("one"));
        threads.runNext();

        worker.finish();
        worker.submit(message("two"));

        assertThat(exits.get(), is(1));
        assertThat(threads.pending(), is(0));
        assertThat(ran, contains("one as req-1"));
    }

    @Test
    void aSocketClosedDuringATurnLetsThatTurnEndDropsTheRestThenIsDoneWithTheChannelOnce() {
        List<Integer> exitsDuringTheTurn = new CopyOnWriteArrayList<>();
        onTurn = (turn, requestId) -> {
            worker.finish();
            exitsDuringTheTurn.add(exits.get());
        };
        worker.submit(message("one"));
        worker.submit(message("two"));

        threads.runNext();

        assertThat(ran, contains("one as req-1"));
        assertThat(exitsDuringTheTurn, contains(0));
        assertThat(exits.get(), is(1));
    }

    @Test
    void aCancelWithNoTurnRunningAnywhereStartsAThreadThatPassesItOnToTheAgent() {
        worker.cancel(new InboundFrame(
                InboundFrame.CANCEL, Json.MAPPER.createObjectNode().put("type", InboundFrame.CANCEL)));

        assertThat(threads.started(), contains("ws-worker-" + sessionId));
        threads.runNext();
        assertThat(ran, contains("cancel as req-1"));
    }

    private static InboundFrame message(String content) {
        return new InboundFrame(
                InboundFrame.USER_MESSAGE,
                Json.MAPPER
                        .createObjectNode()
                        .put("type", InboundFrame.USER_MESSAGE)
                        .put("content", content));
    }
}
