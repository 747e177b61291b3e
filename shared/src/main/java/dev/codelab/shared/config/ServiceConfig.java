package dev.codelab.shared.config;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Loads a service's configuration: defaults from the classpath resource {@code <root>.yaml} (for example
 * {@code auth-service.yaml}; one name per service so that all of them can share one class path in
 * {@code codelab up}), overridden by environment variables.
 *
 * <p>Each service keeps its settings under one root (for example {@code auth-service}) and reads environment
 * variables named {@code ROOT__KEY}: {@code AUTH_SERVICE__JWT_ISSUER} sets {@code auth-service.jwt-issuer}.
 * The root's name is the prefix in lower case with {@code _} turned into {@code -}, and so is the key.
 * {@code PORT} sets {@code server.port} and {@code HOST} sets {@code server.host}; {@code ENVIRONMENT} sets
 * {@code environment}. Other variables are ignored, so the environment cannot reach unrelated keys, and so
 * is an empty variable: compose passes {@code ${VAR:-}} as an empty string, which must mean "use the default".
 */
public final class ServiceConfig {

    private ServiceConfig() {}

    /** Configuration from the service's yaml defaults, overridden by the process environment. */
    public static Config load(String envPrefix) {
        return load(envPrefix, System.getenv(), Map.of());
    }

    /**
     * Configuration from {@code <root>.yaml}, overridden by {@code env} and then by {@code overrides}
     * (keys in config form, for tests and for the one-JVM dev stack).
     */
    public static Config load(String envPrefix, Map<String, String> env, Map<String, String> overrides) {
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .addSource(ConfigSources.create(overrides))
                .addSource(ConfigSources.create(fromEnvironment(envPrefix, env)))
                .addSource(ConfigSources.classpath(toKey(envPrefix) + ".yaml").optional())
                .build();
    }

    /**
     * Maps {@code PREFIX__SOME_KEY} to {@code prefix.some-key}, plus {@code PORT}, {@code HOST}, {@code ENVIRONMENT}.
     */
    public static Map<String, String> fromEnvironment(String envPrefix, Map<String, String> env) {
        Map<String, String> keys = new HashMap<>();
        String root = toKey(envPrefix);
        String marker = envPrefix + "__";
        env.forEach((name, value) -> {
            if (name.startsWith(marker) && name.length() > marker.length() && !value.isBlank()) {
                keys.put(root + "." + toKey(name.substring(marker.length())), value);
            }
        });
        copy(env, "PORT", keys, "server.port");
        copy(env, "HOST", keys, "server.host");
        copy(env, "ENVIRONMENT", keys, "environment");
        return keys;
    }

    /** {@code RATE_LIMIT_PER_IP} → {@code rate-limit-per-ip}. */
    public static String toKey(String envName) {
        return envName.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * A base URL from the configuration without its trailing slashes, so that paths starting with {@code /} can be
     * appended.
     */
    public static String stripSlash(String url) {
        String stripped = url;
        while (stripped.endsWith("/")) {
            stripped = stripped.substring(0, stripped.length() - 1);
        }
        return stripped;
    }

    private static void copy(Map<String, String> env, String name, Map<String, String> keys, String key) {
        String value = env.get(name);
        if (value != null && !value.isBlank()) {
            keys.put(key, value);
        }
    }
}
