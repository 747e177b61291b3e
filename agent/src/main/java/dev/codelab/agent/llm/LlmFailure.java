package dev.codelab.agent.llm;

/**
 * The LLM call failed for good (retries spent, or a failure after text was already forwarded).
 * {@code partialText} is what had been streamed before the failure.
 */
public final class LlmFailure extends RuntimeException {

    private final String partialText;

    LlmFailure(String message, String partialText) {
        super(message);
        this.partialText = partialText;
    }

    public String partialText() {
        return partialText;
    }
}
