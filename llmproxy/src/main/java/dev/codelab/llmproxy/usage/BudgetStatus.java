package dev.codelab.llmproxy.usage;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a user stands against their budget before a call.
 *
 * @param state        {@code ok}, {@code warning} (past the soft limit) or {@code exceeded} (at or past a limit)
 * @param limit        the limit concerned ({@code daily_usd}, {@code monthly_usd}, {@code daily_tokens},
 *                     {@code monthly_tokens}); null when ok
 * @param message      what to tell the user: which limit, how much is spent, when it resets; null when ok
 * @param resetsAt     when the limit's period ends; null when ok
 * @param firstWarning whether this is the first warning of the period (the IDE is warned once)
 */
public record BudgetStatus(String state, String limit, String message, Instant resetsAt, boolean firstWarning) {

    public static final BudgetStatus OK = new BudgetStatus("ok", null, null, null, false);

    public boolean exceeded() {
        return state.equals("exceeded");
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("state", state);
        json.put("limit", limit);
        json.put("message", message);
        json.put("resets_at", resetsAt == null ? null : resetsAt.toString());
        json.put("first_warning", firstWarning);
        return json;
    }
}
