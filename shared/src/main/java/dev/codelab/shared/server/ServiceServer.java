package dev.codelab.shared.server;

import dev.codelab.shared.http.ErrorBodies;
import dev.codelab.shared.http.RequestLog;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsRouting;
import java.util.List;

/**
 * Hosts one or more {@link CodeLabService}s on one Helidon server: request log, error bodies, then each
 * service's routes.
 */
public final class ServiceServer {

    private ServiceServer() {}

    /** Builds and starts the server described by the {@code server} config node. */
    public static WebServer start(Config server, String logName, List<? extends CodeLabService> services) {
        WebServerConfig.Builder builder = WebServer.builder().config(server);
        setup(builder, logName, services);
        return builder.build().start();
    }

    /** Adds the routes of {@code services} to a server builder (shared by {@link #start} and tests). */
    public static void setup(WebServerConfig.Builder builder, String logName, List<? extends CodeLabService> services) {
        // Streams (SSE, WebSocket) are many small writes: with Nagle on, each waits for the previous one's ACK,
        // which the peer delays by up to 40 ms.
        builder.connectionOptions(options -> options.tcpNoDelay(true));
        builder.routing(routing -> routing(routing, logName, services));
        if (services.stream().anyMatch(CodeLabService::hasWebsockets)) {
            WsRouting.Builder ws = WsRouting.builder();
            services.forEach(s -> s.websockets(ws));
            builder.addRouting(ws);
        }
    }

    public static void routing(HttpRouting.Builder routing, String logName, List<? extends CodeLabService> services) {
        routing.addFilter(new RequestLog(logName));
        ErrorBodies.register(routing);
        services.forEach(s -> s.routing(routing));
    }
}
