package dev.codelab.auth.discovery;

import dev.codelab.shared.http.Json;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * {@code GET /ready}: 200 when PostgreSQL answers and Redis answers (or Redis may be down because limits
 * fail open); otherwise 503 naming what failed:
 * {@code {"status":"unavailable","checks":{"database":"up","redis":"down"}}}.
 */
public final class Readiness implements Handler {

    private final BooleanSupplier database;
    private final BooleanSupplier redis;
    private final boolean redisOptional;

    public Readiness(BooleanSupplier database, BooleanSupplier redis, boolean redisOptional) {
        this.database = database;
        this.redis = redis;
        this.redisOptional = redisOptional;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        boolean dbUp = database.getAsBoolean();
        boolean redisUp = redis.getAsBoolean();
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("database", dbUp ? "up" : "down");
        checks.put("redis", redisUp ? "up" : redisOptional ? "down (rate limits fail open)" : "down");
        boolean ready = dbUp && (redisUp || redisOptional);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "ready" : "unavailable");
        body.put("checks", checks);
        Json.send(res, ready ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503, body);
    }
}
