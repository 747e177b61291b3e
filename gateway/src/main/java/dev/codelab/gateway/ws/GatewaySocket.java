package dev.codelab.gateway.ws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.websocket.WsUpgrader;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import io.helidon.websocket.WsUpgradeException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One IDE WebSocket (docs/protocol.md). Helidon's connection thread is the reader: it checks each client
 * frame ({@link FrameIntake}: size, rate, shape, call id, turn state) and answers problems and {@code cancel} at
 * once; valid frames go to the socket's {@link TurnWorker}. Server frames reach the client through the session's
 * {@link SessionChannel}, this socket's {@link FrameSequencer} (seq order, each once, whichever replica stored
 * them), its {@link FrameOutput} (the socket's protocol) and its {@link SocketWriter}.
 *
 * <p>The socket is in one {@link State} at a time and moves only along these lines:
 * <pre>
 *   Admitted --onOpen--------------------------------------------------------------&gt; Open
 *   Open     --client closed, write or ping failed, idle, failure--------------------&gt; Closed
 *   Admitted --client closed, or a failure while opening----------------------------&gt; Closed
 * </pre>
 * {@code Admitted} has only the {@link Admission} (its connection slot is reserved); {@code Open} holds every
 * part an open socket uses, all made when it opened; {@code Closed} has released them and the slot. A call that
 * finds the socket in a state it does not serve does nothing. Closing the socket from the server side (replaced,
 * deleted, shutdown) sends the close frame; the state changes when the client's answer or the failure arrives.
 */
final class GatewaySocket implements WsListener {

    static final int GOING_AWAY = 1001;
    static final int UNSUPPORTED_DATA = 1003;
    static final int MESSAGE_TOO_BIG = 1009;
    static final int INTERNAL_ERROR = 1011;
    static final int REPLACED = 4409;
    static final int NORMAL = 1000;
    private static final System.Logger LOG = System.getLogger(GatewaySocket.class.getName());

    /** Where the socket is in its life; see the class comment for the transitions. */
    private sealed interface State permits Admitted, Open, Closed {}

    private record Admitted() implements State {}

    /** @param epoch when the socket was recorded as its session's ({@link SocketEvents}); 0 when unknown */
    private record Open(
            SocketWriter writer,
            SessionChannel channel,
            TurnWorker worker,
            FrameIntake intake,
            FrameSequencer sequencer,
            FrameOutput output,
            long epoch)
            implements State {}

    private record Closed() implements State {}

    private final SocketContext context;
    private final Admission admission;
    private final MessageAssembly incoming;
    private final AtomicReference<State> state = new AtomicReference<>(new Admitted());
    private volatile long lastHeardNanos = System.nanoTime();

    GatewaySocket(SocketContext context, Admission admission) {
        this.context = context;
        this.admission = admission;
        this.incoming = new MessageAssembly(context.maxMessageBytes());
    }

    /**
     * The listener of an upgrade: the socket of its admission, or one that refuses the upgrade when the upgrade
     * filter made none.
     */
    static WsListener forUpgrade(SocketContext context, Optional<Admission> admission) {
        return admission.<WsListener>map(a -> new GatewaySocket(context, a)).orElseGet(NotAdmitted::new);
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
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

    /** Admitted to Open: makes the parts, then attaches to the session (which sends the replay). */
    private void open(WsSession session) {
        String sessionId = admission.sessionId();
        SessionChannel channel = context.registry().acquire(sessionId);
        Open open;
        try {
            open = parts(session, channel);
        } catch (RuntimeException e) {
            context.registry().release(channel);
            throw e;
        }
        // Nothing else moves the state before this: only the reader (this thread) knows the socket until now.
        state.set(open);
        context.registry().add(this);
        GatewaySocket replaced = channel.attach(this);
        if (replaced != null) {
            replaced.replaced();
        }
        // The client may send DELETE as soon as it has the 101, before this socket is attached, and then that
        // DELETE found no socket to close: ask the agent once more now that a later DELETE will find it.
        if (context.pipe().sessionGone(admission.userId(), sessionId, admission.requestId())) {
            sessionDeleted();
        }
    }

    private Open parts(WsSession session, SessionChannel channel) {
        SocketWriter writer = new SocketWriter(
                session, admission.sessionId(), context.maxQueuedFrames(), this::gone, ThreadStarter.VIRTUAL);
        String userId = admission.userId();
        TurnWorker worker = new TurnWorker(
                channel,
                (turn, turnRequestId) -> context.pipe().run(channel, userId, turnRequestId, turn.frame(), turn),
                admission.requestId(),
                () -> context.registry().release(channel),
                ThreadStarter.VIRTUAL);
        FrameOutput output = new FrameOutput(writer, admission.protocol());
        FrameSequencer sequencer = channel.sequencer(admission.lastSeq(), output::stored);
        long epoch = context.events().attached(admission.sessionId()).orElse(0);
        return new Open(
                writer,
                channel,
                worker,
                new FrameIntake(context, admission.sessionId(), channel, worker),
                sequencer,
                output,
                epoch);
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
        if (!incoming.add(text)) {
            close(MESSAGE_TOO_BIG, "Message too big");
            return;
        }
        if (last) {
            String message = incoming.take();
            if (state.get() instanceof Open open) {
                open.intake().accept(message);
            }
        }
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
        if (state.get() instanceof Open open) {
            open.sequencer().offer(seq, json);
        }
    }

    /** Sends what was stored after the last frame sent (the replay, or what the live feed missed). */
    void catchUp() {
        if (state.get() instanceof Open open) {
            open.sequencer().catchUp();
        }
    }

    /** Whether every frame up to {@code seq} was handed to the writer; a socket no longer open will get none. */
    boolean sentUpTo(long seq) {
        return !(state.get() instanceof Open open) || open.sequencer().sentUpTo(seq);
    }

    /** Sends a frame numbered here because Redis could not store it (called under the session channel's lock). */
    void deliverUnstored(ObjectNode frame) {
        if (state.get() instanceof Open open) {
            open.output().send(frame);
        }
    }

    /** Whether a socket of the session announced after this one exists (so this one is replaced). */
    boolean isOlderThan(long otherEpoch) {
        return state.get() instanceof Open open && open.epoch() > 0 && open.epoch() < otherEpoch;
    }

    /** Closes the socket with 4409 when {@code newestEpoch}, its session's newest socket, is a later one. */
    boolean closeIfReplaced(long newestEpoch) {
        if (isOlderThan(newestEpoch)) {
            replaced();
            return true;
        }
        return false;
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
        if (state.get() instanceof Open open) {
            open.writer().close(code, reason);
        }
    }

    /**
     * A keep-alive's first half ({@link KeepAlivePass}): closes the socket when its client has been silent for
     * longer than the idle timeout; otherwise whether it is open, its records to be refreshed and itself pinged.
     */
    boolean keepAliveDue() {
        if (!(state.get() instanceof Open)) {
            return false;
        }
        if (System.nanoTime() - lastHeardNanos > context.idleTimeout().toNanos()) {
            close(NORMAL, "Idle timeout");
            gone();
            return false;
        }
        return true;
    }

    Admission admission() {
        return admission;
    }

    /** The socket's record of its session, for {@link SocketEvents#stillHere}; epoch 0 when it has none. */
    SocketEvents.Held held() {
        return new SocketEvents.Held(admission.sessionId(), state.get() instanceof Open open ? open.epoch() : 0);
    }

    /** A keep-alive's second half: closes the socket with 4409 when its session has a newer one, or pings it. */
    void keptAlive(long newestEpoch) {
        if (!closeIfReplaced(newestEpoch) && state.get() instanceof Open open) {
            open.writer().ping();
        }
    }

    /**
     * A failure no rule covers (a bug, or a dependency answering what it never should): the socket cannot be
     * trusted to keep its promises any more, so it is closed 1011 and the client reconnects with {@code last_seq}.
     */
    private void internalError(WsSession session, String during, RuntimeException e) {
        LOG.log(
                System.Logger.Level.ERROR,
                "The socket of session " + admission.sessionId() + " failed while handling " + during
                        + "; closing it with 1011",
                e);
        switch (state.get()) {
            case Admitted admitted -> session.close(INTERNAL_ERROR, "Internal error");
            case Open open -> open.writer().close(INTERNAL_ERROR, "Internal error");
            case Closed closed -> {}
        }
        gone();
    }

    /** To Closed, once, from whichever state: releases what the socket held. */
    private void gone() {
        State before = state.getAndSet(new Closed());
        if (before instanceof Closed) {
            return;
        }
        if (before instanceof Open open) {
            open.writer().stop();
            context.registry().remove(this);
            open.channel().detach(this);
            open.worker().finish();
        }
        context.limits().release(admission.userId(), admission.connectionId());
        if (before instanceof Open open && open.epoch() > 0) {
            context.events().detached(admission.sessionId(), open.epoch());
        }
    }

    /** The listener of an upgrade the upgrade filter did not admit: refuses it. */
    private static final class NotAdmitted implements WsListener {

        @Override
        public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) throws WsUpgradeException {
            throw new WsUpgradeException("WebSocket upgrade was not admitted");
        }
    }
}
