package dev.codelab.agent.llm;

import dev.codelab.shared.hop.HopException;

/**
 * The LLM call failed for good (retries spent, or a failure after text was already forwarded).
 * {@code partialText} is what had been streamed before the failure; the cause, when the last attempt failed in
 * transport, is the {@link HopException} naming the request.
 */
public final class LlmFailure extends RuntimeException {

    private final String partialText;
    private final boolean timeout;

    LlmFailure(String message, String partialText) {
        this(message, partialText, null);
    }

    LlmFailure(String message, String partialText, HopException cause) {
        super(message, cause);
        this.partialText = partialText;
        this.timeout = cause != null && cause.isTimeout();
    }

    public String partialText() {
        return partialText;
    }

    /** Whether the last attempt failed because the proxy's answer (its headers or its next line) did not come in time. */
    public boolean isTimeout() {
        return timeout;
    }
}
