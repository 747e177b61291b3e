package dev.codelab.agent.context;

import java.util.Locale;

/** What made the runtime condense a session's history ({@code trigger} of {@code context_condensed}). */
public enum CondenseTrigger {
    /** The prompt of a step no longer fitted below the condensing threshold. */
    AUTO,
    /** The client asked ({@code condense}). */
    MANUAL;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
