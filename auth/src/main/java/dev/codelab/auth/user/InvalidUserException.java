package dev.codelab.auth.user;

/** A user cannot be created or changed as asked; the message says why and is safe to show. */
public final class InvalidUserException extends RuntimeException {

    public InvalidUserException(String message) {
        super(message);
    }
}
