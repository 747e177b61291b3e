package dev.codelab.agent.turn;

import dev.codelab.agent.store.TurnState;
import java.util.Locale;

/**
 * Why a stream ends ({@code done.reason}); also the state of the turn row afterwards.
 */
public enum DoneReason {
    COMPLETED(TurnState.COMPLETED),
    AWAITING_TOOL(TurnState.AWAITING_TOOL),
    AWAITING_APPROVAL(TurnState.AWAITING_APPROVAL),
    CANCELLED(TurnState.CANCELLED),
    STEP_LIMIT(TurnState.STEP_LIMIT),
    ERROR(TurnState.ERROR);

    private final TurnState turnState;

    DoneReason(TurnState turnState) {
        this.turnState = turnState;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The turn's state once this request's stream ended so; it ends the turn unless the IDE is to answer. */
    public TurnState turnState() {
        return turnState;
    }
}
