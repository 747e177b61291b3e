package dev.codelab.shared.hop;

import java.io.IOException;

/**
 * A failed exchange on a hop, named by its {@link HopClient} label (target, method, path and request id) so that a
 * log line or stack trace shows which request it belongs to. {@link #kind()} says what went wrong; {@link #reason()}
 * is the short text without the label, for messages shown to a caller.
 */
public final class HopException extends IOException {

    /** What went wrong. */
    public enum Kind {
        /** No connection: refused, unresolvable host, no route, or the connect timed out. */
        UNREACHABLE,
        /** Connected, but the answer (its headers, or the next piece of its body) did not come in time. */
        TIMEOUT,
        /** The caller ended the exchange: closed the response, or its thread was interrupted. */
        ABORTED,
        /** The exchange broke: a reset, or an answer that is not HTTP or was cut short. */
        BROKEN
    }

    private final Kind kind;
    private final String reason;

    HopException(String label, Kind kind, String reason, Throwable cause) {
        super(label + ": " + reason, cause);
        this.kind = kind;
        this.reason = reason;
    }

    public Kind kind() {
        return kind;
    }

    /** The failure without the exchange's label, e.g. {@code Read timed out} or {@code Connection refused}. */
    public String reason() {
        return reason;
    }

    public boolean isTimeout() {
        return kind == Kind.TIMEOUT;
    }

    public boolean isUnreachable() {
        return kind == Kind.UNREACHABLE;
    }
}
