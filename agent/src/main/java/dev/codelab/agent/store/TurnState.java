package dev.codelab.agent.store;

import java.util.Locale;

/** The {@code turns.state} of a turn: running, waiting for the IDE, or how it ended. */
public enum TurnState {
    RUNNING(false),
    COMPLETED(true),
    AWAITING_TOOL(false),
    AWAITING_APPROVAL(false),
    CANCELLED(true),
    STEP_LIMIT(true),
    ERROR(true),
    /** A new user message arrived while the turn waited for the IDE. */
    SUPERSEDED(true);

    private final boolean ended;

    TurnState(boolean ended) {
        this.ended = ended;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** False while the turn runs or waits for the IDE (a tool result or an approval). */
    public boolean ended() {
        return ended;
    }
}
