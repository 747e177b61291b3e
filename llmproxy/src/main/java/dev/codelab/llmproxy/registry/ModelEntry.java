package dev.codelab.llmproxy.registry;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A model alias callers name in {@code model}, or a pattern of them (an alias ending in {@code *}).
 *
 * @param fallbacks       aliases tried, in order, when every deployment of this one failed
 * @param contextWindow   tokens the model reads at most (prompt and answer together)
 * @param maxOutputTokens tokens the model writes at most in one answer
 */
public record ModelEntry(String alias, List<Deployment> deployments, List<String> fallbacks, int contextWindow,
                         int maxOutputTokens, boolean supportsTools, Price price) {

    public boolean available() {
        return deployments.stream().anyMatch(Deployment::available);
    }

    /** The environment variable that would make the alias usable (its first deployment's missing one). */
    public Optional<String> missingVariable() {
        return deployments.stream().map(Deployment::missingVariable).flatMap(Optional::stream).findFirst();
    }

    boolean isPattern() {
        return alias.endsWith("*");
    }

    /** For a pattern: whether it serves {@code name} (which starts like it and names something after that). */
    boolean matches(String name) {
        String prefix = prefix();
        return name.length() > prefix.length() && name.startsWith(prefix);
    }

    /** For a pattern: the entry serving {@code name}, each deployment's {@code *} replaced by what the pattern's matched. */
    ModelEntry instantiate(String name) {
        String matched = name.substring(prefix().length());
        return new ModelEntry(name, deployments.stream().map(d -> d.forMatch(matched)).toList(), fallbacks,
                contextWindow, maxOutputTokens, supportsTools, price);
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

    /** US dollars per million tokens in and out. */
    public record Price(@JsonProperty("input_per_1m") double inputPer1m,
                        @JsonProperty("output_per_1m") double outputPer1m) {

        public static final Price FREE = new Price(0, 0);

        public double cost(long promptTokens, long completionTokens) {
            return (promptTokens * inputPer1m + completionTokens * outputPer1m) / 1_000_000.0;
        }
    }
}
