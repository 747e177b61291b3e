package dev.codelab.agent.store;

/**
 * A request's session lease expired and another request took the session over: this request may write nothing
 * more (it ends its stream with an error).
 */
public final class LeaseLostException extends RuntimeException {

    public LeaseLostException(String sessionId) {
        super("The lease on session " + sessionId + " was taken over by another request");
    }
}
