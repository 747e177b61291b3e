package dev.codelab.llmproxy.stream;

/** The caller closed the connection while the answer was streaming; nobody is left to answer. */
public final class CallerGoneException extends RuntimeException {

    public CallerGoneException(Throwable cause) {
        super("The caller closed the connection", cause);
    }
}
