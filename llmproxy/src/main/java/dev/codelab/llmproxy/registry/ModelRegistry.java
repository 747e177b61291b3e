package dev.codelab.llmproxy.registry;

import dev.codelab.shared.config.ServiceConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The model aliases callers may name, read from a YAML file (format in {@code docs/llmproxy.md}); provider keys
 * and base URLs come from the environment, so an alias whose key is missing is known but unavailable. Aliases
 * ending in {@code *} are patterns ({@code claude-*}, {@code ollama/*}): they serve every name starting like them
 * that no exact alias serves, the longest pattern first.
 */
public final class ModelRegistry {

    /** The built-in registry on the classpath. */
    public static final String DEFAULT_RESOURCE = "models.yaml";

    private static final int DEFAULT_MAX_OUTPUT_TOKENS = 4096;
    private static final Set<String> PROVIDERS = Set.of("openai", "openrouter", "anthropic", "ollama", "fake");
    private static final Map<String, String> DEFAULT_BASE_URLS = Map.of(
            "openai", "https://api.openai.com/v1",
            "openrouter", "https://openrouter.ai/api/v1",
            "anthropic", "https://api.anthropic.com",
            "ollama", "http://localhost:11434",
            "fake", "fake:local");

    /** Prompt-cache breakpoints an alias gets when the registry names none (Anthropic allows 4 per request). */
    private static final int DEFAULT_CACHE_BREAKPOINTS = 3;

    private static final int MAX_CACHE_BREAKPOINTS = 4;

    private final Map<String, ModelEntry> entries;
    private final List<ModelEntry> patterns;

    private ModelRegistry(Map<String, ModelEntry> entries, List<ModelEntry> patterns) {
        this.entries = entries;
        this.patterns = patterns;
    }

    /** Reads the file at {@code path}, or the built-in registry when the path is empty. */
    public static ModelRegistry load(Optional<Path> path, Map<String, String> env) {
        return parse(YamlFiles.read(path, DEFAULT_RESOURCE, RegistryFile.class), env);
    }

    private static ModelRegistry parse(RegistryFile file, Map<String, String> env) {
        if (file.models() == null || file.models().isEmpty()) {
            throw new IllegalStateException("The model registry lists no models");
        }
        Map<String, ModelEntry> entries = new LinkedHashMap<>();
        List<ModelEntry> patterns = new ArrayList<>();
        for (AliasSpec spec : file.models()) {
            ModelEntry entry = entryOf(spec, env);
            if (entry.isPattern()) {
                patterns.add(entry);
            } else {
                entries.put(spec.alias(), entry);
            }
        }
        patterns.sort(Comparator.comparingInt(ModelEntry::prefixLength).reversed());
        checkFallbacks(entries, patterns);
        return new ModelRegistry(entries, List.copyOf(patterns));
    }

    private static ModelEntry entryOf(AliasSpec spec, Map<String, String> env) {
        int breakpoints = checkedBreakpoints(spec);
        List<Deployment> deployments = new ArrayList<>();
        for (DeploymentSpec d : spec.deployments()) {
            deployments.add(d.resolve(spec.alias(), env, breakpoints));
        }
        ModelEntry.Price price = spec.price() == null ? ModelEntry.Price.FREE : spec.price();
        return new ModelEntry(
                spec.alias(),
                List.copyOf(deployments),
                spec.fallbacks() == null ? List.of() : List.copyOf(spec.fallbacks()),
                spec.contextWindow() == null ? 8192 : spec.contextWindow(),
                spec.maxOutputTokens() == null ? DEFAULT_MAX_OUTPUT_TOKENS : spec.maxOutputTokens(),
                spec.supportsTools() == null || spec.supportsTools(),
                price);
    }

    /** Checks the alias and its deployments are there and well formed; answers the cache breakpoints. */
    private static int checkedBreakpoints(AliasSpec spec) {
        if (spec.alias() == null
                || spec.alias().isBlank()
                || spec.deployments() == null
                || spec.deployments().isEmpty()) {
            throw new IllegalStateException("Every model needs an alias and at least one deployment: " + spec);
        }
        if (spec.alias().indexOf('*') != spec.alias().lastIndexOf('*')
                || spec.alias().contains("*") && !spec.alias().endsWith("*")
                || spec.alias().equals("*")) {
            throw new IllegalStateException(
                    "Model " + spec.alias() + ": a pattern alias has one '*', at its end, after a prefix");
        }
        int breakpoints = spec.cacheBreakpoints() == null ? DEFAULT_CACHE_BREAKPOINTS : spec.cacheBreakpoints();
        if (breakpoints < 0 || breakpoints > MAX_CACHE_BREAKPOINTS) {
            throw new IllegalStateException("Model " + spec.alias() + ": cache_breakpoints must be 0 to "
                    + MAX_CACHE_BREAKPOINTS + ", not " + breakpoints);
        }
        return breakpoints;
    }

    private static void checkFallbacks(Map<String, ModelEntry> entries, List<ModelEntry> patterns) {
        for (ModelEntry entry : allEntries(entries, patterns)) {
            for (String fallback : entry.fallbacks()) {
                if (!entries.containsKey(fallback)) {
                    throw new IllegalStateException(
                            "Model " + entry.alias() + " falls back to unknown alias " + fallback);
                }
            }
        }
    }

    /** The exact alias {@code name}, else the longest pattern that serves it. */
    public Optional<ModelEntry> find(String name) {
        return Optional.ofNullable(entries.get(name))
                .or(() -> patterns.stream()
                        .filter(p -> p.matches(name))
                        .findFirst()
                        .map(p -> p.instantiate(name)));
    }

    /** The exact aliases (the models the lists show). */
    public List<ModelEntry> entries() {
        return List.copyOf(entries.values());
    }

    /** The exact aliases and the patterns (every deployment the proxy may call). */
    public List<ModelEntry> allEntries() {
        return allEntries(entries, patterns);
    }

    private static List<ModelEntry> allEntries(Map<String, ModelEntry> entries, List<ModelEntry> patterns) {
        List<ModelEntry> all = new ArrayList<>(entries.values());
        all.addAll(patterns);
        return all;
    }

    /**
     * The model used when a request names none: the first available alias served by a real provider, else the
     * first fake alias.
     */
    public String defaultAlias() {
        return entries.values().stream()
                .filter(e -> e.available() && !e.provider().equals("fake"))
                .findFirst()
                .or(() -> entries.values().stream()
                        .filter(e -> e.provider().equals("fake"))
                        .findFirst())
                .orElseGet(() -> entries.values().iterator().next())
                .alias();
    }

    record RegistryFile(List<AliasSpec> models) {}

    record AliasSpec(
            String alias,
            List<DeploymentSpec> deployments,
            List<String> fallbacks,
            Integer contextWindow,
            Integer maxOutputTokens,
            Boolean supportsTools,
            ModelEntry.Price price,
            Integer cacheBreakpoints) {}

    record DeploymentSpec(
            String provider,
            String model,
            String baseUrl,
            String baseUrlEnv,
            String apiKeyEnv,
            Double timeoutSeconds,
            Integer weight) {

        Deployment resolve(String alias, Map<String, String> env, int cacheBreakpoints) {
            if (provider == null || !PROVIDERS.contains(provider)) {
                throw new IllegalStateException(
                        "Model " + alias + ": provider must be one of " + PROVIDERS + ", not " + provider);
            }
            Optional<String> missing = Optional.empty();
            Optional<String> key = Optional.empty();
            if (apiKeyEnv != null) {
                key = nonBlank(env.get(apiKeyEnv));
                if (key.isEmpty()) {
                    missing = Optional.of(apiKeyEnv);
                }
            }
            String base = baseUrl;
            if (baseUrlEnv != null) {
                Optional<String> fromEnv = nonBlank(env.get(baseUrlEnv));
                if (fromEnv.isPresent()) {
                    base = fromEnv.get();
                } else if (base == null && missing.isEmpty()) {
                    missing = Optional.of(baseUrlEnv);
                }
            }
            if (base == null) {
                base = DEFAULT_BASE_URLS.get(provider);
            }
            String modelName = model == null ? alias : model;
            URI uri = URI.create(ServiceConfig.stripSlash(base));
            Duration timeout = Duration.ofMillis(Math.round((timeoutSeconds == null ? 120.0 : timeoutSeconds) * 1000));
            return new Deployment(
                    provider + ":" + modelName + "@" + uri,
                    provider,
                    modelName,
                    uri,
                    key,
                    timeout,
                    weight == null ? 1 : Math.max(0, weight),
                    missing,
                    Optional.empty(),
                    cacheBreakpoints);
        }

        private static Optional<String> nonBlank(String value) {
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
        }
    }
}
