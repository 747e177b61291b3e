package dev.codelab.gateway.ws;

import java.util.OptionalLong;

/**
 * Hands one socket its stored frames in {@code seq} order, each once: live frames from the {@link LiveFeed}, the
 * replay after {@code last_seq} and every catch-up from the {@link Outbox} all come through here. A frame already
 * sent is dropped; a frame after a gap (frames published while the feed was reconnecting) is sent after the
 * missing ones, read from the outbox. So the switch from replay to live can neither lose nor repeat a frame,
 * whichever replica stored it.
 */
final class FrameSequencer {

    /** Where a frame goes once its turn has come. */
    @FunctionalInterface
    interface Sink {
        void send(long seq, String json);
    }

    private final String sessionId;
    private final Outbox outbox;
    private final Sink sink;
    private long sent;
    private boolean anchored;

    /** @param after the seq the socket starts after; empty when unknown (Redis down): the first frame sets it */
    FrameSequencer(String sessionId, Outbox outbox, OptionalLong after, Sink sink) {
        this.sessionId = sessionId;
        this.outbox = outbox;
        this.sink = sink;
        this.anchored = after.isPresent();
        this.sent = after.orElse(0);
    }

    synchronized void offer(long seq, String json) {
        if (!anchored) {
            anchored = true;
            sent = seq - 1;
        }
        if (seq <= sent) {
            return;
        }
        for (Outbox.Stored missed : outbox.range(sessionId, sent, seq)) {
            send(missed.seq(), missed.json());
        }
        send(seq, json);
    }

    /** Sends every stored frame after the last one sent. */
    synchronized void catchUp() {
        if (anchored) {
            for (Outbox.Stored stored : outbox.range(sessionId, sent, Long.MAX_VALUE)) {
                send(stored.seq(), stored.json());
            }
        }
    }

    /** Whether every frame up to {@code seq} has been sent (or nothing can be said: no start known). */
    synchronized boolean sentUpTo(long seq) {
        return !anchored || sent >= seq;
    }

    private void send(long seq, String json) {
        if (seq > sent) {
            sink.send(seq, json);
            sent = seq;
        }
    }
}
