package dev.codelab.shared.config;

import io.helidon.config.Config;
import java.util.Collection;

/**
 * Guards against running production with a development secret.
 */
public final class Secrets {

    private Secrets() {}

    /** {@code true} when the top-level {@code environment} key says {@code production}. */
    public static boolean isProduction(Config config) {
        return "production"
                .equalsIgnoreCase(config.get("environment").asString().orElse("development"));
    }

    /**
     * Returns the secret at {@code key}; in production refuses to start when it is missing, blank or one of
     * {@code knownDefaults}.
     *
     * @param envName the variable an operator sets, named in the error so they know what to fix
     */
    public static String require(Config config, String key, String envName, Collection<String> knownDefaults) {
        String value = config.get(key).asString().orElse("");
        if (isProduction(config) && (value.isBlank() || knownDefaults.contains(value))) {
            throw new IllegalStateException("ENVIRONMENT=production needs a real secret in " + envName);
        }
        return value;
    }
}
