package dev.codelab.cli.check;

/** A check that did not hold; the message says what was expected and what came instead. */
public final class CheckFailed extends RuntimeException {

    public CheckFailed(String message) {
        super(message);
    }

    /** Fails with {@code message} unless {@code condition} holds. */
    public static void require(boolean condition, String message) {
        if (!condition) {
            throw new CheckFailed(message);
        }
    }
}
