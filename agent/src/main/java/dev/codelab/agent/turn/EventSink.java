package dev.codelab.agent.turn;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.agent.llm.Cancellation;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.sse.SseWriter;
import dev.codelab.shared.watch.IdleWatch;
import java.time.Duration;

/**
 * Where a turn's events go: the SSE response. When the caller has closed the stream, writing fails; that is
 * the gateway's way of saying {@code cancel}, so the turn is cancelled and later events are dropped.
 * Also sends {@code : keep-alive} while nothing else was written for the keep-alive interval.
 */
public final class EventSink implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EventSink.class.getName());

    private final SseWriter writer;
    private final Cancellation cancellation;
    private final IdleWatch keepAlive;
    private volatile boolean callerGone;
    private volatile boolean doneSent;

    public EventSink(SseWriter writer, Cancellation cancellation, Duration keepAliveInterval) {
        this.writer = writer;
        this.cancellation = cancellation;
        this.keepAlive = new IdleWatch("sse-keep-alive", keepAliveInterval, this::keepAlive);
        keepAlive.start();
    }

    public void send(ObjectNode event) {
        if (event.path("type").asText().equals("done")) {
            doneSent = true;
        }
        write(() -> writer.data(Json.write(event)));
    }

    /** Whether the stream's one {@code done} event has been sent (or would have been, had the caller stayed). */
    public boolean doneSent() {
        return doneSent;
    }

    /** The keep-alive watch's action: goes on while the caller is there. */
    private boolean keepAlive() {
        write(() -> writer.comment("keep-alive"));
        return !callerGone;
    }

    private void write(Runnable write) {
        if (callerGone) {
            return;
        }
        try {
            write.run();
            keepAlive.touch();
        } catch (RuntimeException e) {
            // Helidon reports a closed connection as UncheckedIOException or ServerConnectionException
            LOG.log(System.Logger.Level.INFO, "The caller closed the event stream; cancelling the turn");
            callerGone = true;
            cancellation.cancel();
        }
    }

    @Override
    public void close() {
        keepAlive.close();
        callerGone = true;
    }
}
