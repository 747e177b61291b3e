package dev.codelab.shared.db;

/**
 * Any other database failure (a bad statement, a type the driver cannot read): a bug, answered as a logged 500
 * whose body says only "Internal server error".
 */
public final class DatabaseException extends RuntimeException {

    DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
