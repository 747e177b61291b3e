package dev.codelab.agent.turn;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.agent.agents.AgentType;
import dev.codelab.agent.store.SessionStore;
import dev.codelab.agent.store.TurnState;
import dev.codelab.agent.store.Turns;

/** How this request's stream ends: the turn's state stored, then the one {@code done}. */
final class TurnEnd {

    private TurnEnd() {}

    static void finish(TurnContext ctx, long turn, DoneReason reason) {
        finish(ctx, turn, reason, Events.done(reason));
    }

    /** Ends with {@code done}, a {@code done} event of {@code reason} that says more (a resumable error). */
    static void finish(TurnContext ctx, long turn, DoneReason reason, ObjectNode done) {
        ctx.write(tx -> {
            Turns.setState(tx, turn, reason.turnState());
            SessionStore.touch(tx, ctx.sessionId());
        });
        ctx.sink().send(done);
    }

    /** The explanation (kept in the history, so a "continue" knows why), the error code, {@code done step_limit}. */
    static void stopAtStepLimit(TurnContext ctx, long turn, AgentType agent, String explanation) {
        TurnHistory.say(ctx, agent, explanation);
        ctx.sink().send(Events.error(explanation, ErrorCode.STEP_LIMIT_REACHED));
        finish(ctx, turn, DoneReason.STEP_LIMIT);
    }

    /** A cancel while no request of this process runs the session: end what waits for the IDE. */
    static void cancelPaused(TurnContext ctx) {
        TurnHistory.answerAwaitedCall(ctx, "Not executed: the user cancelled the turn.");
        ctx.write(tx -> Turns.endOpen(tx, ctx.sessionId(), TurnState.CANCELLED));
        ctx.sink().send(Events.done(DoneReason.CANCELLED));
    }

    /** The end of a request that changed the session without a turn (a switch, a condense). */
    static void completedWithoutTurn(TurnContext ctx) {
        ctx.write(tx -> SessionStore.touch(tx, ctx.sessionId()));
        ctx.sink().send(Events.done(DoneReason.COMPLETED));
    }
}
