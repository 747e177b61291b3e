package dev.codelab.gateway;

import dev.codelab.shared.config.ServiceConfig;
import dev.codelab.shared.server.ServiceServer;
import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import java.util.List;

/**
 * Runs the gateway service alone: {@code java -jar gateway/target/gateway.jar}, configured by {@code gateway.yaml} and
 * {@code GATEWAY__*} environment variables.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Config config = ServiceConfig.load("GATEWAY");
        GatewayApp app = GatewayApp.create(config);
        WebServer server = ServiceServer.start(config.get("server"), app.name(), List.of(app));
        // The app drains its WebSockets (running turns finish, sockets close 1001) while the server still runs.
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            app.close();
                            server.stop();
                        },
                        "gateway-shutdown"));
    }
}
