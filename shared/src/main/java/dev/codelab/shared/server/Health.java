package dev.codelab.shared.server;

import dev.codelab.shared.http.Json;
import io.helidon.config.Config;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The liveness answer every service gives on {@code GET /health}:
 * {@code {"status":"healthy","service":..,"version":..,"environment":..}}.
 */
public final class Health {

    private Health() {}

    public static Handler liveness(String service, Config config, String configRoot) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "healthy");
        body.put("service", service);
        body.put("version", config.get(configRoot).get("version").asString().orElse("0.1.0"));
        body.put("environment", config.get("environment").asString().orElse("development"));
        return (req, res) -> Json.send(res, Status.OK_200, new LinkedHashMap<>(body));
    }
}
