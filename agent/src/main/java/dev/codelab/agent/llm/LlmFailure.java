package dev.codelab.agent.llm;

import dev.codelab.shared.hop.HopException;

/**
 * The LLM call failed for good (retries spent, or a failure after text was already forwarded).
 * {@code partialText} is what had been streamed before the failure; {@link #isTimeout()} tells a proxy that went
 * silent for the whole {@code llm-timeout-seconds} (or reported its provider's timeout) from one that answered
 * with an error or broke the stream. When the last attempt failed in transport, the cause is the
 * {@link HopException} naming the request.
 */
public final class LlmFailure extends RuntimeException {

    private final String partialText;
    private final boolean timeout;

    LlmFailure(String message, String partialText, boolean timeout) {
        this(message, partialText, timeout, null);
    }

    LlmFailure(String message, String partialText, boolean timeout, HopException cause) {
        super(message, cause);
        this.partialText = partialText;
        this.timeout = timeout;
    }

    public String partialText() {
        return partialText;
    }

    public boolean isTimeout() {
        return timeout;
    }
}
