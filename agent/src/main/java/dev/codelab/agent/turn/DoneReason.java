package dev.codelab.agent.turn;

import java.util.Locale;

/**
 * Why a stream ends ({@code done.reason}); also the state of the turn row afterwards.
 */
public enum DoneReason {
    COMPLETED(true),
    AWAITING_TOOL(false),
    AWAITING_APPROVAL(false),
    CANCELLED(true),
    STEP_LIMIT(true),
    ERROR(true);

    private final boolean endsTurn;

    DoneReason(boolean endsTurn) {
        this.endsTurn = endsTurn;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** False while the turn waits for the IDE (a tool result or an approval). */
    public boolean endsTurn() {
        return endsTurn;
    }
}
