package dev.codelab.llmproxy.routing;

import java.util.Locale;

/**
 * What a model alias whose provider key is missing answers ({@code LLM_PROXY__KEYLESS_MODELS}).
 */
public enum KeylessModels {

    /** 503 naming the missing variable: production, and the default. */
    UNAVAILABLE,
    /** The fake model answers and says so in {@code model} and {@code system_fingerprint}: the dev stack only. */
    FAKE;

    public static KeylessModels parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "LLM_PROXY__KEYLESS_MODELS must be 'unavailable' or 'fake', not '" + value + "'");
        }
    }
}
