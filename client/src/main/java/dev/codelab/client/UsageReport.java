package dev.codelab.client;

import java.util.List;

/**
 * The caller's usage of language models over a range of UTC days ({@code GET /api/v1/usage}): totals, and the same
 * by day, by model and by session.
 *
 * @param from first day, {@code YYYY-MM-DD}
 * @param to   last day, included
 */
public record UsageReport(
        String userId,
        String from,
        String to,
        UsageRow totals,
        List<UsageRow> byDay,
        List<UsageRow> byModel,
        List<UsageRow> bySession) {

    /**
     * Summed usage of some calls; {@code day}, {@code model} or {@code sessionId} names the group (null in the totals).
     *
     * @param promptTokens    every input token, cached ones included
     * @param cacheReadTokens input tokens read from the provider's prompt cache (priced lower)
     * @param costUsd         US dollars at the registry's prices
     */
    public record UsageRow(
            String day,
            String model,
            String sessionId,
            long calls,
            long promptTokens,
            long completionTokens,
            long cacheReadTokens,
            long cacheWriteTokens,
            long totalTokens,
            double costUsd) {}
}
