package dev.codelab.gateway;

import dev.codelab.shared.server.CodeLabService;
import dev.codelab.shared.server.Health;
import io.helidon.config.Config;
import io.helidon.webserver.http.HttpRouting;

/**
 * The gateway service. For now only its liveness route; the issue that builds the service fills it in.
 */
public final class GatewayApp implements CodeLabService {

    private final Config config;

    private GatewayApp(Config config) {
        this.config = config;
    }

    public static GatewayApp create(Config config) {
        return new GatewayApp(config);
    }

    @Override
    public String name() {
        return "gateway";
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.get("/health", Health.liveness("gateway", config, "gateway"));
    }
}
