package dev.codelab.llmproxy.usage;

import dev.codelab.llmproxy.provider.Usage;
import java.time.Instant;

/**
 * One metered LLM call.
 *
 * @param model      the alias the caller named (a pattern alias: the name it served)
 * @param deployment the deployment that answered ({@code provider:model@base_url}), {@code -} when none did
 * @param outcome    {@code ok}, {@code cancelled} (the caller left) or the error code the caller got
 */
public record UsageRecord(
        Instant at,
        CallTags tags,
        String model,
        String deployment,
        Usage usage,
        double costUsd,
        long latencyMs,
        String outcome) {}
