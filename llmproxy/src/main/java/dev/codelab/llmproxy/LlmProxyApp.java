package dev.codelab.llmproxy;

import dev.codelab.shared.server.CodeLabService;
import dev.codelab.shared.server.Health;
import io.helidon.config.Config;
import io.helidon.webserver.http.HttpRouting;

/**
 * The llmproxy service. For now only its liveness route; the issue that builds the service fills it in.
 */
public final class LlmProxyApp implements CodeLabService {

    private final Config config;

    private LlmProxyApp(Config config) {
        this.config = config;
    }

    public static LlmProxyApp create(Config config) {
        return new LlmProxyApp(config);
    }

    @Override
    public String name() {
        return "llmproxy";
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.get("/health", Health.liveness("llmproxy", config, "llm-proxy"));
    }
}
