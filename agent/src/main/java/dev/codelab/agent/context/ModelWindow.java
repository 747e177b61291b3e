package dev.codelab.agent.context;

/**
 * What a model can take: its context window (prompt and answer together) and its longest answer, in tokens, as
 * llmproxy's {@code /v1/models} reports them.
 */
public record ModelWindow(String model, int contextWindow, int maxOutputTokens) {

    /** Assumed for a model the proxy does not list (or while it cannot be asked): the runtime's old fixed budget. */
    public static final int ASSUMED_CONTEXT_WINDOW = 32_000;

    public static final int ASSUMED_MAX_OUTPUT_TOKENS = 4_096;

    static ModelWindow assumed(String model) {
        return new ModelWindow(model, ASSUMED_CONTEXT_WINDOW, ASSUMED_MAX_OUTPUT_TOKENS);
    }
}
