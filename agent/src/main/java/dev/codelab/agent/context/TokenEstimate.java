package dev.codelab.agent.context;

/**
 * Token counts without a tokenizer: four characters a token plus a few for a message's framing, calibrated per
 * session by the ratio between what the provider reported for the last prompt and this estimate of it (kept
 * within {@link #MIN_RATIO}..{@link #MAX_RATIO}, so one odd report cannot make the budget meaningless).
 */
public final class TokenEstimate {

    static final double MIN_RATIO = 0.5;
    static final double MAX_RATIO = 3.0;
    private static final int CHARS_PER_TOKEN = 4;
    private static final int TOKENS_PER_MESSAGE = 4;

    private TokenEstimate() {}

    /** The raw estimate of one message's (or prompt part's) text. */
    public static int of(String text) {
        return TOKENS_PER_MESSAGE + (text == null ? 0 : text.length() / CHARS_PER_TOKEN);
    }

    /** The session's ratio from a call: the provider's prompt tokens over the raw estimate of that prompt. */
    public static double ratio(int reportedPromptTokens, int estimated) {
        return Math.clamp((double) reportedPromptTokens / Math.max(1, estimated), MIN_RATIO, MAX_RATIO);
    }
}
