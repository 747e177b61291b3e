package dev.codelab.agent.store;

import java.util.Locale;

/** How a stored message ended ({@code messages.status}, and {@code status} in the history view when not complete). */
public enum MessageStatus {
    COMPLETE,
    /** An answer the user cancelled while it streamed: its partial text. */
    CANCELLED,
    /** An answer whose stream failed: its partial text, which a {@code continue} resumes. */
    ERROR;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    static MessageStatus fromWire(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
