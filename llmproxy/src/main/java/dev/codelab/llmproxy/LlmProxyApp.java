package dev.codelab.llmproxy;

import dev.codelab.llmproxy.api.ChatCompletionsHandler;
import dev.codelab.llmproxy.api.ModelsHandlers;
import dev.codelab.llmproxy.api.OpenAiErrors;
import dev.codelab.llmproxy.api.OpenAiException;
import dev.codelab.llmproxy.api.ReadinessProbe;
import dev.codelab.llmproxy.fake.FakeProvider;
import dev.codelab.llmproxy.fake.FakeRules;
import dev.codelab.llmproxy.metrics.ProxyMetrics;
import dev.codelab.llmproxy.provider.AnthropicMapper;
import dev.codelab.llmproxy.provider.HttpProvider;
import dev.codelab.llmproxy.provider.OllamaMapper;
import dev.codelab.llmproxy.provider.OpenAiMapper;
import dev.codelab.llmproxy.provider.Provider;
import dev.codelab.llmproxy.provider.UpstreamHttp;
import dev.codelab.llmproxy.registry.ModelRegistry;
import dev.codelab.llmproxy.routing.DeploymentHealth;
import dev.codelab.llmproxy.routing.DeploymentRouter;
import dev.codelab.llmproxy.routing.KeylessModels;
import dev.codelab.llmproxy.usage.Metering;
import dev.codelab.shared.config.Secrets;
import dev.codelab.shared.http.InternalAuthFilter;
import dev.codelab.shared.retry.Backoff;
import dev.codelab.shared.server.CodeLabService;
import dev.codelab.shared.server.Health;
import dev.codelab.shared.server.Readiness;
import io.helidon.config.Config;
import io.helidon.webserver.http.HttpRouting;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The llmproxy service: one OpenAI-compatible endpoint in front of OpenAI, Anthropic, Ollama and the fake model.
 * Every path but {@code /health} needs {@code X-Internal-Auth}.
 */
public final class LlmProxyApp implements CodeLabService {

    static final String CONFIG_ROOT = "llm-proxy";
    private static final String DEFAULT_KEY = "change-me-internal-key";

    private final Config config;
    private final String internalKey;
    private final UpstreamHttp http;
    private final ModelsHandlers models;
    private final Readiness readiness;
    private final ChatCompletionsHandler chat;
    private final Metering metering;

    private LlmProxyApp(Config config, Map<String, String> env) {
        this.config = config;
        Config c = config.get(CONFIG_ROOT);
        this.internalKey = Secrets.require(
                config,
                CONFIG_ROOT + ".internal-api-key",
                "LLM_PROXY__INTERNAL_API_KEY",
                Set.of(DEFAULT_KEY, "change-me-in-production", "my-super-secret-key"));
        ModelRegistry registry = ModelRegistry.load(path(c, "models-file"), env);
        String defaultModel = defaultModel(c, registry);
        this.http = new UpstreamHttp(millis(c, "connect-timeout-ms", 5000));
        DeploymentRouter router = router(c, registry, providers(c, http), keylessModels(config));
        ChatCompletionsHandler.Limits limits = new ChatCompletionsHandler.Limits(
                c.get("max-concurrent-requests").asInt().orElse(100),
                c.get("max-body-bytes").asLong().orElse(10L * 1024 * 1024),
                millis(c, "keep-alive-ms", 15_000),
                millis(c, "gap-timeout-ms", 60_000));
        this.metering = Metering.start(c);
        this.models = new ModelsHandlers(registry, defaultModel);
        this.readiness = new ReadinessProbe(registry, defaultModel, http).handler();
        this.chat = new ChatCompletionsHandler(registry, defaultModel, router, new ProxyMetrics(), metering, limits);
    }

    private static String defaultModel(Config c, ModelRegistry registry) {
        String defaultModel =
                c.get("default-model").asString().filter(s -> !s.isBlank()).orElseGet(registry::defaultAlias);
        if (registry.find(defaultModel).isEmpty()) {
            throw new IllegalStateException("LLM_PROXY__DEFAULT_MODEL names an unknown model: " + defaultModel);
        }
        return defaultModel;
    }

    private static Map<String, Provider> providers(Config c, UpstreamHttp http) {
        return Map.of(
                "openai", new HttpProvider(http, new OpenAiMapper()),
                "openrouter", new HttpProvider(http, new OpenAiMapper()),
                "anthropic",
                        new HttpProvider(
                                http,
                                new AnthropicMapper(
                                        c.get("anthropic-max-tokens").asInt().orElse(4096))),
                "ollama", new HttpProvider(http, new OllamaMapper()),
                "fake", new FakeProvider(FakeRules.load(path(c, "fake-rules-file")), millis(c, "fake-delay-ms", 20)));
    }

    private static DeploymentRouter router(
            Config c, ModelRegistry registry, Map<String, Provider> providers, KeylessModels keyless) {
        DeploymentHealth health = new DeploymentHealth(
                c.get("cooldown-failures").asInt().orElse(3),
                Duration.ofSeconds(c.get("cooldown-seconds").asInt().orElse(30)),
                Clock.systemUTC());
        return new DeploymentRouter(
                registry,
                providers,
                health,
                c.get("max-retries").asInt().orElse(2),
                // many callers' retries meet at one provider: full jitter spreads them; a longer Retry-After than
                // the router waits for skips the deployment, so the asked wait is passed on uncapped
                new Backoff(
                        millis(c, "retry-base-delay-ms", 500),
                        millis(c, "retry-max-delay-ms", 8000),
                        Backoff.Jitter.FULL,
                        Backoff.RETRY_AFTER_UNCAPPED),
                keyless);
    }

    /** The service configured by {@code config}, with provider keys from the process environment. */
    public static LlmProxyApp create(Config config) {
        return create(config, System.getenv());
    }

    /** The service with provider keys ({@code OPENAI_API_KEY}, ...) read from {@code env}. */
    public static LlmProxyApp create(Config config, Map<String, String> env) {
        return new LlmProxyApp(config, env);
    }

    @Override
    public String name() {
        return "llmproxy";
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        OpenAiErrors.register(routing);
        routing.addFilter(new InternalAuthFilter(
                internalKey, Set.of("/health"), res -> OpenAiErrors.send(res, OpenAiException.unauthorized())));
        routing.get("/health", Health.liveness("llm-proxy", config, CONFIG_ROOT))
                .get("/ready", readiness)
                .get("/v1/models", models::openAiList)
                .get("/v1/llm/models", models::codeLabList)
                .post("/v1/chat/completions", chat);
        metering.routing(routing);
    }

    @Override
    public void close() {
        http.close();
        metering.close();
    }

    /** The fake model never stands in for a real one in production: there a keyless alias must fail loudly. */
    private static KeylessModels keylessModels(Config config) {
        KeylessModels mode = KeylessModels.parse(
                config.get(CONFIG_ROOT + ".keyless-models").asString().orElse("unavailable"));
        if (mode == KeylessModels.FAKE && Secrets.isProduction(config)) {
            throw new IllegalStateException("LLM_PROXY__KEYLESS_MODELS=fake is for the dev stack; "
                    + "in ENVIRONMENT=production a model without its provider key answers 503");
        }
        return mode;
    }

    private static Optional<Path> path(Config c, String key) {
        return c.get(key).asString().filter(s -> !s.isBlank()).map(Path::of);
    }

    private static Duration millis(Config c, String key, long defaultMillis) {
        return Duration.ofMillis(c.get(key).asLong().orElse(defaultMillis));
    }
}
