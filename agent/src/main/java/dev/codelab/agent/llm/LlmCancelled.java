package dev.codelab.agent.llm;

/**
 * The turn was cancelled while the LLM call ran; {@code partialText} is what had been streamed.
 */
public final class LlmCancelled extends RuntimeException {

    private final String partialText;

    LlmCancelled(String partialText) {
        super("cancelled");
        this.partialText = partialText;
    }

    public String partialText() {
        return partialText;
    }
}
