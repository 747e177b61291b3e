package dev.codelab.cli.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads {@code compose/docker-compose.yml} the way docker compose does for what we need without a Docker
 * engine: services, their environment with {@code ${VAR}}, {@code ${VAR:-default}} and {@code ${VAR:?error}}
 * interpolated, ports and healthchecks. Used by the compose test and by the end-to-end check, which starts
 * the services with exactly this environment.
 */
public final class ComposeFile {

    private static final Pattern VARIABLE =
            Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

    private final Map<String, Map<String, Object>> services;

    private ComposeFile(Map<String, Map<String, Object>> services) {
        this.services = services;
    }

    @SuppressWarnings("unchecked")
    public static ComposeFile read(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            Map<String, Object> root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            return new ComposeFile((Map<String, Map<String, Object>>) root.get("services"));
        }
    }

    public Set<String> services() {
        return services.keySet();
    }

    /** A service's definition as parsed (merge keys applied). */
    public Map<String, Object> service(String name) {
        Map<String, Object> service = services.get(name);
        if (service == null) {
            throw new IllegalArgumentException("No service " + name + " in the compose file");
        }
        return service;
    }

    /** The raw environment of a service, before interpolation. */
    public Map<String, String> rawEnvironment(String name) {
        Object environment = service(name).get("environment");
        Map<String, String> result = new TreeMap<>();
        if (environment instanceof Map<?, ?> map) {
            map.forEach((k, v) -> result.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        } else if (environment instanceof List<?> list) {
            for (Object entry : list) {
                String text = String.valueOf(entry);
                int eq = text.indexOf('=');
                result.put(eq < 0 ? text : text.substring(0, eq), eq < 0 ? "" : text.substring(eq + 1));
            }
        }
        return result;
    }

    /** A service's environment with variables filled from {@code env} as docker compose would. */
    public Map<String, String> environment(String name, Map<String, String> env) {
        Map<String, String> result = new LinkedHashMap<>();
        rawEnvironment(name).forEach((k, v) -> result.put(k, interpolate(v, env)));
        return result;
    }

    static String interpolate(String text, Map<String, String> env) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$$")) {
                replacement = "$";
            } else {
                String value = env.get(m.group(1));
                String op = m.group(2);
                boolean unset = op != null && op.startsWith(":") ? value == null || value.isEmpty() : value == null;
                if (op != null && op.endsWith("-") && unset) {
                    replacement = m.group(3);
                } else if (op != null && op.endsWith("?") && unset) {
                    throw new IllegalArgumentException(
                            "Compose variable " + m.group(1) + " is required: " + m.group(3));
                } else {
                    replacement = value == null ? "" : value;
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
