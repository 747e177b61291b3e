package dev.codelab.client.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.websocket.WsSession;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The gateway side of one chat session: stamps {@code seq} on every emitted frame, keeps all of them for
 * {@code ?last_seq=N} replay, and sends them to the live socket if there is one (frames emitted while no socket
 * is attached are only kept — exactly what a client that lost its connection must recover by reconnecting).
 */
public final class FakeSession {

    private final String sessionId;
    private final FakeCodeLab fake;
    private final List<ObjectNode> outbox = new ArrayList<>();
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final List<Long> connectLastSeqs = new CopyOnWriteArrayList<>();
    private WsSession live;

    FakeSession(String sessionId, FakeCodeLab fake) {
        this.sessionId = sessionId;
        this.fake = fake;
    }

    public String id() {
        return sessionId;
    }

    /** Stamps the next seq on {@code frame}, stores it, and sends it if a socket is attached. */
    public synchronized void emit(ObjectNode frame) {
        frame.put("seq", outbox.size() + 1);
        outbox.add(frame);
        if (live != null) {
            try {
                live.send(frame.toString(), true);
            } catch (RuntimeException e) {
                live = null; // the connection died; the frame stays in the outbox for replay
            }
        }
    }

    /** Emits a frame built from JSON text (without seq). */
    public void emit(String json) {
        emit((ObjectNode) FakeCodeLab.read(json));
    }

    /**
     * Closes the socket from the server side with {@code code} (e.g. 1001 going away); frames emitted later wait for a
     * reconnect.
     */
    public synchronized void close(int code) {
        if (live != null) {
            live.close(code, "closed by the test");
            live = null;
        }
    }

    /** Client frames received on any socket of this session, in order. */
    public List<JsonNode> received() {
        return List.copyOf(received);
    }

    /** The {@code last_seq} of every upgrade of this session (0 when absent). */
    public List<Long> connectLastSeqs() {
        return List.copyOf(connectLastSeqs);
    }

    /** Every frame emitted so far, with seq. */
    public synchronized List<ObjectNode> emitted() {
        return List.copyOf(outbox);
    }

    synchronized void attach(WsSession socket, long lastSeq) {
        connectLastSeqs.add(lastSeq);
        if (live != null) {
            try {
                live.close(4409, "replaced");
            } catch (RuntimeException e) {
                // the old connection is already dead
            }
        }
        long from = Math.max(0, lastSeq - fake.replayOverlap());
        for (ObjectNode frame : outbox) {
            if (frame.get("seq").asLong() > from) {
                socket.send(frame.toString(), true);
            }
        }
        live = socket;
    }

    synchronized void detach(WsSession socket) {
        if (live == socket) {
            live = null;
        }
    }

    void receive(JsonNode frame) {
        received.add(frame);
        fake.script().onFrame(frame, this);
    }
}
