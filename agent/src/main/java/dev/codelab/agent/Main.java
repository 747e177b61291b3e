package dev.codelab.agent;

import dev.codelab.shared.config.ServiceConfig;
import dev.codelab.shared.server.ServiceServer;
import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import java.util.List;

/**
 * Runs the agent service alone: {@code java -jar agent/target/agent.jar}, configured by
 * {@code agent-runtime.yaml} and {@code AGENT_RUNTIME__*} environment variables.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Config config = ServiceConfig.load("AGENT_RUNTIME");
        AgentApp app = AgentApp.create(config);
        WebServer server = ServiceServer.start(config.get("server"), app.name(), List.of(app));
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.stop();
                            app.close();
                        },
                        "agent-shutdown"));
    }
}
