package dev.codelab.shared.jwt;

/**
 * A bearer token that must be refused; the message is safe to show the client (it never echoes the token).
 */
public final class InvalidTokenException extends Exception {

    public InvalidTokenException(String message) {
        super(message);
    }
}
