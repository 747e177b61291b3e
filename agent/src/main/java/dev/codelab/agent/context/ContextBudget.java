package dev.codelab.agent.context;

import java.util.OptionalInt;

/**
 * How many tokens a session's prompt may take, from its model's window (capped by {@code context-window-tokens}
 * when that is set): the window less a reserve for the answer (the model's longest answer, at most a quarter of
 * the window) is the hard limit; past {@code condense-threshold} of the window the older conversation is condensed,
 * keeping the newest quarter of the window as it is.
 *
 * @param windowTokens   the window the prompt and answer share
 * @param promptTokens   the most the prompt may take
 * @param condenseAt     a prompt over this many tokens is condensed first
 * @param keepRecent     what condensing leaves as it is: the newest messages worth up to this many tokens
 * @param summaryTokens  the longest summary asked for
 */
public record ContextBudget(int windowTokens, int promptTokens, int condenseAt, int keepRecent, int summaryTokens) {

    private static final int MIN_SUMMARY_TOKENS = 256;
    private static final int MAX_SUMMARY_TOKENS = 4_096;

    public static ContextBudget of(ModelWindow model, OptionalInt cap, double condenseThreshold) {
        int window = cap.isPresent() ? Math.min(cap.getAsInt(), model.contextWindow()) : model.contextWindow();
        int reserve = Math.min(model.maxOutputTokens(), window / 4);
        int summary = Math.clamp(window / 10, MIN_SUMMARY_TOKENS, MAX_SUMMARY_TOKENS);
        return new ContextBudget(window, window - reserve, (int) (window * condenseThreshold), window / 4, summary);
    }
}
