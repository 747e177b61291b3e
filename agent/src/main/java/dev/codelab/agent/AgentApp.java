package dev.codelab.agent;

import dev.codelab.shared.server.CodeLabService;
import dev.codelab.shared.server.Health;
import io.helidon.config.Config;
import io.helidon.webserver.http.HttpRouting;

/**
 * The agent service. For now only its liveness route; the issue that builds the service fills it in.
 */
public final class AgentApp implements CodeLabService {

    private final Config config;

    private AgentApp(Config config) {
        this.config = config;
    }

    public static AgentApp create(Config config) {
        return new AgentApp(config);
    }

    @Override
    public String name() {
        return "agent";
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.get("/health", Health.liveness("agent", config, "agent-runtime"));
    }
}
