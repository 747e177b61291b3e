package dev.codelab.llmproxy.registry;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A model alias callers name in {@code model}.
 *
 * @param fallbacks aliases tried, in order, when every deployment of this one failed
 */
public record ModelEntry(String alias, List<Deployment> deployments, List<String> fallbacks, int contextWindow,
                         boolean supportsTools, Price price) {

    public boolean available() {
        return deployments.stream().anyMatch(Deployment::available);
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
