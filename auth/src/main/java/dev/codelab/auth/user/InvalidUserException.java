package dev.codelab.auth.user;

/** A user cannot be created or changed as asked; the message says why and is safe to show. */
public final class InvalidUserException extends RuntimeException {

    /** Why: a rule was broken, the user does not exist, or the username or email is taken. */
    public enum Reason {
        RULE,
        NOT_FOUND,
        TAKEN
    }

    private final Reason reason;

    public InvalidUserException(String message) {
        this(Reason.RULE, message);
    }

    public InvalidUserException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
