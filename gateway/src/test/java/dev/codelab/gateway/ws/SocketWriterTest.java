package dev.codelab.gateway.ws;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import java.io.UncheckedIOException;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A socket's writer runs a thread only while frames wait, one at a time, and never writes on the caller's thread:
 * the threads are started by hand here ({@link ManualThreads}), so each step is exact.
 */
class SocketWriterTest {

    private final ManualThreads threads = new ManualThreads();
    private final RecordingSession session = new RecordingSession();
    private final AtomicInteger broken = new AtomicInteger();

    private SocketWriter writer(int capacity) {
        return new SocketWriter(session, "s-1", capacity, broken::incrementAndGet, threads);
    }

    @Test
    void anIdleWriterHasNoThreadAndTheFirstFrameStartsOneThatWritesEveryWaitingFrameInOrder() {
        SocketWriter writer = writer(8);
        assertThat(threads.started(), is(empty()));

        writer.send("a");
        writer.send("b");

        assertThat(threads.started(), contains("ws-writer-s-1"));
        assertThat("the caller never writes to the client", session.sent, is(empty()));
        threads.runNext();
        assertThat(session.sent, contains("a", "b"));
        assertThat(threads.pending(), is(0));
    }

    @Test
    void aFrameAfterTheQueueRanDryStartsTheNextThread() {
        SocketWriter writer = writer(8);
        writer.send("a");
        threads.runNext();

        writer.send("b");

        assertThat(threads.started(), contains("ws-writer-s-1", "ws-writer-s-1"));
        threads.runNext();
        assertThat(session.sent, contains("a", "b"));
    }

    @Test
    void aFrameQueuedWhileTheThreadWritesIsWrittenByThatThreadAfterTheOthers() {
        SocketWriter writer = writer(8);
        session.onSend(text -> {
            if (text.equals("a")) {
                writer.send("c");
            }
        });
        writer.send("a");
        writer.send("b");

        threads.runNext();

        assertThat(session.sent, contains("a", "b", "c"));
        assertThat("no second thread while one writes", threads.started(), contains("ws-writer-s-1"));
    }

    @Test
    void aClientFurtherBehindThanTheQueueHoldsIsClosedWith1008AndGetsNothingMore() throws Exception {
        SocketWriter writer = writer(2);
        writer.send("a");
        writer.send("b");

        writer.send("c");
        writer.send("d");

        assertThat(threads.started(), contains("ws-writer-s-1", "ws-close"));
        threads.runNext();
        threads.runNext();
        assertThat("queued frames are dropped (the outbox keeps them)", session.sent, is(empty()));
        assertThat(session.closeCode.getNow(null), is(SocketWriter.POLICY_VIOLATION));
        assertThat(broken.get(), is(0));
    }

    @Test
    void closeDropsWaitingFramesSendsTheCloseFrameOffTheCallersThreadAndOnlyOnce() {
        SocketWriter writer = writer(8);
        writer.send("a");

        writer.close(GatewaySocket.NORMAL, "Session deleted");
        writer.close(GatewaySocket.REPLACED, "Replaced by a newer connection");
        writer.send("b");
        writer.ping();

        assertThat(threads.started(), contains("ws-writer-s-1", "ws-close"));
        assertThat(session.closeCode.isDone(), is(false));
        threads.runNext();
        threads.runNext();
        assertThat(session.sent, is(empty()));
        assertThat(session.closeCode.getNow(null), is(GatewaySocket.NORMAL));
    }

    @Test
    void aFailedWriteStopsTheWriterAndTellsTheSocketOnce() {
        SocketWriter writer = writer(8);
        session.onSend(text -> {
            throw new UncheckedIOException(new SocketException("Broken pipe"));
        });
        writer.send("a");
        writer.send("b");

        threads.runNext();
        writer.send("c");

        assertThat(broken.get(), is(1));
        assertThat(threads.started(), contains("ws-writer-s-1"));
        assertThat(session.closeCode.isDone(), is(false));
    }

    @Test
    void aPingIsSentOffTheCallersThreadAndAFailedOneStopsTheWriter() {
        SocketWriter writer = writer(8);
        writer.ping();
        assertThat(session.pings, is(0));
        threads.runNext();
        assertThat(session.pings, is(1));

        session.failPings(new UncheckedIOException(new SocketException("Connection reset")));
        writer.ping();
        threads.runNext();
        writer.send("a");

        assertThat(broken.get(), is(1));
        assertThat(threads.started(), is(List.of("ws-ping", "ws-ping")));
    }

    @Test
    void stopAfterTheClientWentAwayDropsWaitingFramesAndRefusesNewOnes() {
        SocketWriter writer = writer(8);
        writer.send("a");

        writer.stop();
        writer.send("b");
        threads.runNext();

        assertThat(session.sent, is(empty()));
        assertThat(threads.started(), contains("ws-writer-s-1"));
        assertThat(session.closeCode.isDone(), is(false));
    }
}
