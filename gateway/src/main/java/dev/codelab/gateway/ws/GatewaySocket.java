package dev.codelab.gateway.ws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.ratelimit.RateLimiter;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.websocket.WsUpgrader;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One IDE WebSocket (docs/protocol.md). Helidon's connection thread is the reader: it checks each client
 * frame (size, rate, shape, call id, turn state) and answers problems and {@code cancel} at once; valid frames
 * go to the socket's {@link TurnWorker}. Server frames reach the client through the session's
 * {@link SessionChannel}, this socket's {@link FrameSequencer} (seq order, each once, whichever replica stored
 * them) and its {@link SocketWriter}.
 */
final class GatewaySocket implements WsListener {

    static final int GOING_AWAY = 1001;
    static final int UNSUPPORTED_DATA = 1003;
    static final int MESSAGE_TOO_BIG = 1009;
    static final int INTERNAL_ERROR = 1011;
    static final int REPLACED = 4409;
    static final int NORMAL = 1000;
    private static final System.Logger LOG = System.getLogger(GatewaySocket.class.getName());
    private static final int FRAME_WINDOW_SECONDS = 60;

    private final SocketContext context;
    private final StringBuilder pending = new StringBuilder();
    private final AtomicBoolean closed = new AtomicBoolean();
    private int pendingBytes;
    private Admission admission;
    private SessionChannel channel;
    private SocketWriter writer;
    private TurnWorker worker;
    private Protocol1Adapter protocol1;
    private FrameSequencer sequencer;
    /** When the socket was recorded as its session's ({@link SocketEvents}); 0 when unknown. */
    private long epoch;

    private volatile long lastHeardNanos = System.nanoTime();

    GatewaySocket(SocketContext context) {
        this.context = context;
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
        admission = Admission.take();
        if (admission == null) {
            throw new WsUpgradeException("WebSocket upgrade was not admitted");
        }
        if (!admission.bearerSubprotocol()) {
            return Optional.empty();
        }
        WritableHeaders<?> selected = WritableHeaders.create();
        selected.set(WsUpgrader.PROTOCOL, "bearer");
        return Optional.of(selected);
    }

    @Override
    public void onOpen(WsSession session) {
        try {
            open(session);
        } catch (RuntimeException e) {
            internalError(session, "opening it", e);
        }
    }

    private void open(WsSession session) {
        writer = new SocketWriter(session, context.maxQueuedFrames(), this::gone);
        writer.start("ws-writer-" + admission.sessionId());
        protocol1 = admission.protocol() == 1 ? new Protocol1Adapter() : null;
        channel = context.registry().acquire(admission.sessionId());
        context.registry().add(this);
        worker = new TurnWorker(
                channel,
                context.pipe(),
                admission.userId(),
                admission.requestId(),
                () -> context.registry().release(channel));
        worker.start();
        sequencer = channel.sequencer(admission.lastSeq(), this::deliver);
        epoch = context.events().attached(admission.sessionId()).orElse(0);
        GatewaySocket replaced = channel.attach(this);
        if (replaced != null) {
            replaced.replaced();
        }
        // The client may send DELETE as soon as it has the 101, before this socket is attached, and then that
        // DELETE found no socket to close: ask the agent once more now that a later DELETE will find it.
        if (context.pipe().sessionGone(admission.userId(), admission.sessionId(), admission.requestId())) {
            sessionDeleted();
        }
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        try {
            receive(text, last);
        } catch (RuntimeException e) {
            internalError(session, "a client frame", e);
        }
    }

    private void receive(String text, boolean last) {
        lastHeardNanos = System.nanoTime();
        pendingBytes += text.getBytes(StandardCharsets.UTF_8).length;
        if (pendingBytes > context.maxMessageBytes()) {
            pending.setLength(0);
            pendingBytes = 0;
            close(MESSAGE_TOO_BIG, "Message too big");
            return;
        }
        pending.append(text);
        if (!last) {
            return;
        }
        String message = pending.toString();
        pending.setLength(0);
        pendingBytes = 0;
        handle(message);
    }

    @Override
    public void onMessage(WsSession session, BufferData buffer, boolean last) {
        close(UNSUPPORTED_DATA, "Binary frames are not supported");
    }

    @Override
    public void onPing(WsSession session, BufferData buffer) {
        lastHeardNanos = System.nanoTime();
        session.pong(buffer);
    }

    @Override
    public void onPong(WsSession session, BufferData buffer) {
        lastHeardNanos = System.nanoTime();
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        gone();
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        gone();
    }

    /** A stored frame from the session's channel, in whatever order it came: sent in seq order. */
    void offer(long seq, String json) {
        sequencer.offer(seq, json);
    }

    /** Sends what was stored after the last frame sent (the replay, or what the live feed missed). */
    void catchUp() {
        sequencer.catchUp();
    }

    boolean sentUpTo(long seq) {
        return sequencer.sentUpTo(seq);
    }

    /** Sends a frame numbered here because Redis could not store it (called under the session channel's lock). */
    void deliverUnstored(ObjectNode frame) {
        send(frame);
    }

    /** Sends a stored frame, its turn in seq order having come ({@link FrameSequencer}). */
    private void deliver(long seq, String json) {
        if (protocol1 == null) {
            writer.send(withSeq(json, seq));
            return;
        }
        try {
            if (Json.read(json) instanceof ObjectNode frame) {
                frame.put("seq", seq);
                send(frame);
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Skipping a stored frame that is not JSON, seq " + seq);
        }
    }

    private void send(ObjectNode frame) {
        Optional<ObjectNode> out = protocol1 == null ? Optional.of(frame) : protocol1.adapt(frame);
        out.ifPresent(f -> writer.send(Json.write(f)));
    }

    /** The stored JSON object with {@code seq} added as its last field, without parsing it. */
    static String withSeq(String json, long seq) {
        String open = json.substring(0, json.lastIndexOf('}'));
        return open + (open.strip().equals("{") ? "" : ",") + "\"seq\":" + seq + "}";
    }

    /** Whether a socket of the session announced after this one exists (so this one is replaced). */
    boolean isOlderThan(long otherEpoch) {
        return epoch > 0 && epoch < otherEpoch;
    }

    /** Closes the socket with 4409 when its record says a newer socket of the session exists (one may be missed). */
    void checkStillNewest() {
        if (epoch > 0 && isOlderThan(context.events().stillHere(admission.sessionId(), epoch))) {
            replaced();
        }
    }

    /** A newer socket of the session took over (on this replica or another). */
    void replaced() {
        close(REPLACED, "Replaced by a newer connection");
    }

    void sessionDeleted() {
        close(NORMAL, "Session deleted");
    }

    /** Closes the socket from the server side. */
    void close(int code, String reason) {
        if (writer != null) {
            writer.close(code, reason);
        }
    }

    /** Pings, refreshes the user's connection entry, or closes the socket when the client has gone silent. */
    void keepAlive() {
        if (writer == null || closed.get()) {
            return;
        }
        if (System.nanoTime() - lastHeardNanos > context.idleTimeout().toNanos()) {
            close(NORMAL, "Idle timeout");
            gone();
            return;
        }
        context.limits().heartbeat(admission.userId(), admission.connectionId());
        checkStillNewest();
        writer.ping();
    }

    private void handle(String message) {
        RateLimiter.Decision rate = context.frameLimiter()
                .hit("gw:rl:ws:" + admission.sessionId(), context.maxFramesPerMinute(), FRAME_WINDOW_SECONDS);
        if (!rate.allowed()) {
            reject(new FrameError(
                    FrameError.RATE_LIMIT_EXCEEDED,
                    "Too many messages: at most " + context.maxFramesPerMinute() + " per minute",
                    null,
                    rate.resetSeconds()));
            return;
        }
        ClientFrame frame;
        try {
            frame = FrameRules.check(message);
        } catch (FrameRules.FrameException e) {
            reject(e.error());
            return;
        }
        if (frame.startsTurn()) {
            worker.submitUnlessBusy(
                    frame,
                    FrameError.of(FrameError.TURN_IN_PROGRESS, "A turn is already running; send cancel to stop it"));
            return;
        }
        switch (frame.type()) {
            case ClientFrame.CANCEL -> worker.cancel(frame);
            case ClientFrame.TOOL_RESULT, ClientFrame.HITL_DECISION -> {
                if (context.awaited()
                        .isAwaited(admission.sessionId(), frame.callId())
                        .orElse(true)) {
                    worker.submit(frame);
                } else {
                    reject(new FrameError(
                            FrameError.INVALID_CALL_ID,
                            "No tool call " + frame.callId() + " is awaiting an answer",
                            frame.callId(),
                            null));
                }
            }
            default -> worker.submit(frame);
        }
    }

    /**
     * A failure no rule covers (a bug, or a dependency answering what it never should): the socket cannot be
     * trusted to keep its promises any more, so it is closed 1011 and the client reconnects with {@code last_seq}.
     */
    private void internalError(WsSession session, String during, RuntimeException e) {
        LOG.log(
                System.Logger.Level.ERROR,
                "The socket of session " + (admission == null ? "?" : admission.sessionId()) + " failed while handling "
                        + during + "; closing it with 1011",
                e);
        if (writer != null) {
            writer.close(INTERNAL_ERROR, "Internal error");
        } else {
            session.close(INTERNAL_ERROR, "Internal error");
        }
        gone();
    }

    private void reject(FrameError error) {
        channel.emit(error.toJson());
    }

    private void gone() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (writer != null) {
            writer.stop();
        }
        context.registry().remove(this);
        if (channel != null) {
            channel.detach(this);
            if (worker != null) {
                worker.finish();
            } else {
                context.registry().release(channel);
            }
        }
        context.limits().release(admission.userId(), admission.connectionId());
        if (epoch > 0) {
            context.events().detached(admission.sessionId(), epoch);
        }
    }
}
