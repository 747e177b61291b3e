package dev.codelab.gateway.ws;

import dev.codelab.gateway.agent.AgentStream;
import dev.codelab.shared.http.Json;

/**
 * One running exchange with the agent. Cancelling or timing out closes its stream, which closes the socket and
 * wakes the reading thread at once.
 */
final class Turn {

    private final InboundFrame frame;
    private volatile String token = "";
    private volatile AgentStream stream;
    private volatile boolean cancelled;
    private volatile boolean timedOut;
    private volatile boolean doneEmitted;

    /** @param frame the client frame the turn passes to the agent */
    Turn(InboundFrame frame) {
        this.frame = frame;
    }

    /** A turn that only passes a {@code cancel} on to the agent. */
    static Turn cancelling() {
        return new Turn(new InboundFrame(
                InboundFrame.CANCEL, Json.MAPPER.createObjectNode().put("type", InboundFrame.CANCEL)));
    }

    InboundFrame frame() {
        return frame;
    }

    /** The token under which the turn is recorded as this replica's ({@link TurnClaims}); "" when it is not. */
    String token() {
        return token;
    }

    void recordedAs(String token) {
        this.token = token;
    }

    /** Whether the exchange only passes a {@code cancel} on to the agent. */
    boolean carriesCancel() {
        return frame.type().equals(InboundFrame.CANCEL);
    }

    /** Hands the turn its agent stream; closes it at once when the turn was cancelled meanwhile. */
    void attach(AgentStream agentStream) {
        this.stream = agentStream;
        if (cancelled || timedOut) {
            agentStream.close();
        }
    }

    void cancel() {
        cancelled = true;
        closeStream();
    }

    void timeOut() {
        timedOut = true;
        closeStream();
    }

    /**
     * The turn's last frame (its {@code done}, or a refusal without one) is on its way to the client, which may then
     * send its next frame at once: marked before the frame is stored, since the live feed may deliver it before the
     * emitter hears back.
     */
    void markDoneEmitted() {
        doneEmitted = true;
    }

    boolean isDoneEmitted() {
        return doneEmitted;
    }

    /**
     * Whether the turn is on its way out: its {@code done} was sent, it was cancelled, or it only carries a cancel.
     * The client may send its next message meanwhile; it runs once this turn has ended.
     */
    boolean isWindingDown() {
        return doneEmitted || cancelled || carriesCancel();
    }

    boolean isCancelled() {
        return cancelled;
    }

    boolean isTimedOut() {
        return timedOut;
    }

    /** Whether the turn's end answers a cancel asked for while it ran: it ended cancelled, or carried the cancel. */
    boolean answersCancel() {
        return cancelled || carriesCancel();
    }

    private void closeStream() {
        AgentStream current = stream;
        if (current != null) {
            current.close();
        }
    }
}
