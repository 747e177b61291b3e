package dev.codelab.cli;

import java.util.Map;

import dev.codelab.shared.server.CodeLabService;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;

/**
 * The health routes nginx adds in compose ({@code /auth-health}, {@code /gateway-health}), served by the dev
 * stack's entry point with the same answers as the services' own {@code /health}, so one check fits both.
 */
final class EntryPointHealth implements CodeLabService {

    private final Map<String, Handler> routes;

    EntryPointHealth(Map<String, Handler> routes) {
        this.routes = Map.copyOf(routes);
    }

    @Override
    public String name() {
        return "entry-point";
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routes.forEach(routing::get);
    }
}
