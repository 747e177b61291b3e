package dev.codelab.devstack;

import dev.codelab.shared.http.ErrorBodies;
import dev.codelab.shared.server.CodeLabService;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import java.util.List;
import java.util.Map;

/**
 * What the dev stack's public port adds to the auth and gateway routings it hosts, so that it serves exactly what
 * nginx serves in compose: nginx's own {@code /nginx-health}, the health aliases nginx adds ({@code /auth-health},
 * {@code /gateway-health}, with the same answers as the services' own {@code /health}), and a 404 for every other path
 * outside {@code /oauth/},
 * {@code /.well-known/} and {@code /api/v1/} — the services' {@code /ready} and Helidon's {@code /observe/*}
 * stay on their own ports.
 */
final class EntryPoint implements CodeLabService {

    /**
     * nginx's {@code location = /nginx-health { return 200 "healthy\n"; }}, answered by the port standing in for it.
     */
    static final Handler NGINX_HEALTH = (req, res) -> {
        res.header(HeaderNames.CONTENT_TYPE, "text/plain");
        res.send("healthy\n");
    };

    private static final List<String> PUBLIC_PREFIXES = List.of("/oauth/", "/.well-known/", "/api/v1/");

    private final Map<String, Handler> healthAliases;

    EntryPoint(Map<String, Handler> healthAliases) {
        this.healthAliases = Map.copyOf(healthAliases);
    }

    @Override
    public String name() {
        return "entry-point";
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.addFilter((chain, req, res) -> {
            String path = req.path().path();
            if (healthAliases.containsKey(path) || PUBLIC_PREFIXES.stream().anyMatch(path::startsWith)) {
                chain.proceed();
            } else {
                ErrorBodies.send(res, Status.NOT_FOUND_404, "not_found", "Not found");
            }
        });
        healthAliases.forEach(routing::get);
    }
}
