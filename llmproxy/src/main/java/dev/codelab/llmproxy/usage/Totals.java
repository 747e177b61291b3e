package dev.codelab.llmproxy.usage;

import java.util.LinkedHashMap;
import java.util.Map;

/** Summed usage of some calls. */
record Totals(
        long calls,
        long promptTokens,
        long completionTokens,
        long cacheReadTokens,
        long cacheWriteTokens,
        double costUsd) {

    static Totals of(UsageRecord r) {
        return new Totals(
                1,
                r.usage().promptTokens(),
                r.usage().completionTokens(),
                r.usage().cacheReadTokens(),
                r.usage().cacheWriteTokens(),
                r.costUsd());
    }

    Totals plus(Totals o) {
        return new Totals(
                calls + o.calls,
                promptTokens + o.promptTokens,
                completionTokens + o.completionTokens,
                cacheReadTokens + o.cacheReadTokens,
                cacheWriteTokens + o.cacheWriteTokens,
                costUsd + o.costUsd);
    }

    /** The JSON fields; cost rounded to a millionth of a dollar. */
    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("calls", calls);
        json.put("prompt_tokens", promptTokens);
        json.put("completion_tokens", completionTokens);
        json.put("cache_read_tokens", cacheReadTokens);
        json.put("cache_write_tokens", cacheWriteTokens);
        json.put("total_tokens", promptTokens + completionTokens);
        json.put("cost_usd", Math.round(costUsd * 1_000_000) / 1_000_000.0);
        return json;
    }
}
