package dev.codelab.agent.llm;

/**
 * The LLM call failed for good (retries spent, or a failure after text was already forwarded).
 * {@code partialText} is what had been streamed before the failure; {@link #isTimeout()} tells a proxy that went
 * silent for the whole {@code llm-timeout-seconds} from one that answered with an error or broke the stream.
 */
public final class LlmFailure extends RuntimeException {

    private final String partialText;
    private final boolean timeout;

    LlmFailure(String message, String partialText, boolean timeout) {
        super(message);
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
