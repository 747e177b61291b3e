package dev.codelab.auth;

import dev.codelab.shared.server.CodeLabService;
import dev.codelab.shared.server.Health;
import io.helidon.config.Config;
import io.helidon.webserver.http.HttpRouting;

/**
 * The auth service. For now only its liveness route; the issue that builds the service fills it in.
 */
public final class AuthApp implements CodeLabService {

    private final Config config;

    private AuthApp(Config config) {
        this.config = config;
    }

    public static AuthApp create(Config config) {
        return new AuthApp(config);
    }

    @Override
    public String name() {
        return "auth";
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.get("/health", Health.liveness("auth", config, "auth-service"));
    }
}
