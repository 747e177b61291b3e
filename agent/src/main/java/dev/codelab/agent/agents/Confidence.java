package dev.codelab.agent.agents;

import java.util.Locale;
import java.util.Optional;

/** How sure a switch of agents is ({@code confidence} of {@code agent_switched}): a user's choice is high. */
public enum Confidence {
    HIGH,
    MEDIUM,
    LOW;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The confidence named {@code wire}, in any case; empty for anything else. */
    public static Optional<Confidence> parse(String wire) {
        String lower = wire.toLowerCase(Locale.ROOT);
        for (Confidence confidence : values()) {
            if (confidence.wire().equals(lower)) {
                return Optional.of(confidence);
            }
        }
        return Optional.empty();
    }
}
