package dev.codelab.agent.usage;

/**
 * A user's standing against their budget, as the LLM proxy reports it.
 *
 * @param state        {@code ok}, {@code warning} or {@code exceeded}
 * @param limit        the limit concerned ({@code daily_usd}, {@code monthly_usd}, {@code daily_tokens},
 *                     {@code monthly_tokens}); empty when ok
 * @param message      which limit, how much is spent and when it resets (empty when ok)
 * @param resetsAt     when the limit's period ends, ISO-8601 (empty when ok)
 * @param firstWarning whether the IDE has not been warned of this limit in this period yet
 */
public record BudgetStatus(String state, String limit, String message, String resetsAt, boolean firstWarning) {

    public boolean exceeded() {
        return state.equals("exceeded");
    }

    /** Whether to send the {@code usage_warning} frame now (once per limit period). */
    public boolean warnNow() {
        return state.equals("warning") && firstWarning;
    }
}
