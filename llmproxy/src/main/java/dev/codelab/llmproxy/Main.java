package dev.codelab.llmproxy;

import dev.codelab.shared.config.ServiceConfig;
import dev.codelab.shared.server.ServiceServer;
import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import java.util.List;

/**
 * Runs the llmproxy service alone: {@code java -jar llmproxy/target/llmproxy.jar}, configured by
 * {@code application.yaml} and {@code LLM_PROXY__*} environment variables.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        Config config = ServiceConfig.load("LLM_PROXY");
        LlmProxyApp app = LlmProxyApp.create(config);
        WebServer server = ServiceServer.start(config.get("server"), app.name(), List.of(app));
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.stop();
                            app.close();
                        },
                        "llmproxy-shutdown"));
    }
}
