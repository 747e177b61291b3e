package dev.codelab.gateway.ws;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import dev.codelab.shared.ratelimit.Redis;
import dev.codelab.shared.testing.TestInfra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * The switch from replay to live, step by step: whichever order stored frames, live frames and catch-ups come in,
 * a socket gets every frame after its start once, in seq order.
 */
class FrameSequencerTest {

    private final String session = "sequencer-" + UUID.randomUUID();
    private final List<String> sent = new ArrayList<>();
    private JedisPooled redis;
    private Outbox outbox;

    @BeforeEach
    void storeFiveFrames() {
        redis = Redis.connect(TestInfra.redisUrl());
        outbox = new Outbox(redis, "replica-1", 1000, Duration.ofMinutes(5));
        for (int n = 1; n <= 5; n++) {
            outbox.append(session, frame(n), 0, false);
        }
    }

    @AfterEach
    void close() {
        outbox.close();
        redis.close();
    }

    @Test
    void aLiveFrameBeforeTheReplayFirstSendsTheStoredFramesItFollows() {
        FrameSequencer sequencer = sequencerAfter(OptionalLong.of(2));
        sequencer.offer(6, frame(6));
        sequencer.catchUp();
        sequencer.offer(5, frame(5));
        sequencer.offer(7, frame(7));
        assertThat(sent, contains(handed(3), handed(4), handed(5), handed(6), handed(7)));
        assertThat(sequencer.sentUpTo(7), is(true));
        assertThat(sequencer.sentUpTo(8), is(false));
    }

    @Test
    void liveFramesAlreadyReplayedAreDropped() {
        FrameSequencer sequencer = sequencerAfter(OptionalLong.of(0));
        sequencer.catchUp();
        sequencer.offer(4, frame(4));
        sequencer.offer(5, frame(5));
        sequencer.offer(6, frame(6));
        sequencer.catchUp();
        assertThat(sent, contains(handed(1), handed(2), handed(3), handed(4), handed(5), handed(6)));
    }

    @Test
    void framesTrimmedFromTheOutboxAreSkippedNotWaitedFor() {
        FrameSequencer sequencer = sequencerAfter(OptionalLong.of(5));
        sequencer.offer(9, frame(9));
        sequencer.offer(10, frame(10));
        assertThat(sent, contains(handed(9), handed(10)));
    }

    @Test
    void withoutAKnownStartTheFirstFrameSetsIt() {
        FrameSequencer sequencer = sequencerAfter(OptionalLong.empty());
        sequencer.catchUp();
        sequencer.offer(5, frame(5));
        sequencer.offer(4, frame(4));
        sequencer.offer(6, frame(6));
        assertThat(sent, contains(handed(5), handed(6)));
    }

    /** The stored frame numbered {@code n}. */
    private static String frame(int n) {
        return """
                {"n":%d}""".formatted(n);
    }

    /** What the sink saw of frame {@code n}: its seq and its JSON. */
    private static String handed(int n) {
        return n + " " + frame(n);
    }

    private FrameSequencer sequencerAfter(OptionalLong after) {
        return new FrameSequencer(session, outbox, after, (seq, json) -> sent.add(seq + " " + json));
    }
}
