package dev.codelab.llmproxy.registry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.codelab.llmproxy.provider.Usage;
import java.util.List;
import java.util.Optional;

/**
 * A model alias callers name in {@code model}, or a pattern of them (an alias ending in {@code *}).
 *
 * @param fallbacks       aliases tried, in order, when every deployment of this one failed
 * @param contextWindow   tokens the model reads at most (prompt and answer together)
 * @param maxOutputTokens tokens the model writes at most in one answer
 */
public record ModelEntry(
        String alias,
        List<Deployment> deployments,
        List<String> fallbacks,
        int contextWindow,
        int maxOutputTokens,
        boolean supportsTools,
        Price price) {

    public boolean available() {
        return deployments.stream().anyMatch(Deployment::available);
    }

    /** The environment variable that would make the alias usable (its first deployment's missing one). */
    public Optional<String> missingVariable() {
        return deployments.stream()
                .map(Deployment::missingVariable)
                .flatMap(Optional::stream)
                .findFirst();
    }

    boolean isPattern() {
        return alias.endsWith("*");
    }

    /** For a pattern: whether it serves {@code name} (which starts like it and names something after that). */
    boolean matches(String name) {
        String prefix = prefix();
        return name.length() > prefix.length() && name.startsWith(prefix);
    }

    /**
     * For a pattern: the entry serving {@code name}, each deployment's {@code *} replaced by what the pattern
     * matched.
     */
    ModelEntry instantiate(String name) {
        String matched = name.substring(prefix().length());
        return new ModelEntry(
                name,
                deployments.stream().map(d -> d.forMatch(matched)).toList(),
                fallbacks,
                contextWindow,
                maxOutputTokens,
                supportsTools,
                price);
    }

    int prefixLength() {
        return prefix().length();
    }

    private String prefix() {
        return alias.substring(0, alias.length() - 1);
    }

    /** The provider that owns the alias (its first deployment's). */
    public String provider() {
        return deployments.getFirst().provider();
    }

    /**
     * US dollars per million tokens: input at the full rate, output, and input read from or written to the
     * provider's prompt cache (each defaults to the input price when the registry names none).
     */
    public record Price(double inputPer1m, double outputPer1m, double cacheReadPer1m, double cacheWritePer1m) {

        public static final Price FREE = new Price(0, 0, 0, 0);

        @JsonCreator
        static Price of(
                @JsonProperty("input_per_1m") double inputPer1m,
                @JsonProperty("output_per_1m") double outputPer1m,
                @JsonProperty("cache_read_per_1m") Double cacheReadPer1m,
                @JsonProperty("cache_write_per_1m") Double cacheWritePer1m) {
            return new Price(
                    inputPer1m,
                    outputPer1m,
                    cacheReadPer1m == null ? inputPer1m : cacheReadPer1m,
                    cacheWritePer1m == null ? inputPer1m : cacheWritePer1m);
        }

        public double cost(Usage usage) {
            return (usage.uncachedPromptTokens() * inputPer1m
                            + usage.cacheReadTokens() * cacheReadPer1m
                            + usage.cacheWriteTokens() * cacheWritePer1m
                            + usage.completionTokens() * outputPer1m)
                    / 1_000_000.0;
        }
    }
}
