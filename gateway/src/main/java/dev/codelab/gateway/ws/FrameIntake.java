package dev.codelab.gateway.ws;

import dev.codelab.shared.ratelimit.RateLimiter;

/**
 * What an open socket's reader does with a whole client message: counts it against the session's frame rate,
 * checks it ({@link FrameRules}), answers a problem on the session's channel at once, and hands a valid frame to
 * the socket's {@link TurnWorker} ({@code cancel} without queueing).
 */
final class FrameIntake {

    private static final int FRAME_WINDOW_SECONDS = 60;

    private final SocketContext context;
    private final String sessionId;
    private final SessionChannel channel;
    private final TurnWorker worker;

    FrameIntake(SocketContext context, String sessionId, SessionChannel channel, TurnWorker worker) {
        this.context = context;
        this.sessionId = sessionId;
        this.channel = channel;
        this.worker = worker;
    }

    void accept(String message) {
        RateLimiter.Decision rate =
                context.frameLimiter().hit("gw:rl:ws:" + sessionId, context.maxFramesPerMinute(), FRAME_WINDOW_SECONDS);
        if (!rate.allowed()) {
            reject(new FrameError(
                    FrameError.RATE_LIMIT_EXCEEDED,
                    "Too many messages: at most " + context.maxFramesPerMinute() + " per minute",
                    null,
                    rate.resetSeconds()));
            return;
        }
        InboundFrame frame;
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
            case InboundFrame.CANCEL -> worker.cancel(frame);
            case InboundFrame.TOOL_RESULT, InboundFrame.HITL_DECISION -> answer(frame);
            default -> worker.submit(frame);
        }
    }

    /** A tool result or approval decision goes on only while its call awaits one (or Redis cannot say). */
    private void answer(InboundFrame frame) {
        if (context.awaited().isAwaited(sessionId, frame.callId()).orElse(true)) {
            worker.submit(frame);
        } else {
            reject(new FrameError(
                    FrameError.INVALID_CALL_ID,
                    "No tool call " + frame.callId() + " is awaiting an answer",
                    frame.callId(),
                    null));
        }
    }

    private void reject(FrameError error) {
        channel.emit(error.toJson());
    }
}
