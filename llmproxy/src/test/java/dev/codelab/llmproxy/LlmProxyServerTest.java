package dev.codelab.llmproxy;

import dev.codelab.llmproxy.testing.TestProxy;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.AfterStop;
import io.helidon.webserver.testing.junit5.ServerTest;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;

/**
 * A test class that shares one llmproxy on Helidon's {@code @ServerTest} server: the subclass's
 * {@code @SetUpServer} method calls {@link #serve} with its registry and settings; the proxy is released after
 * the server stopped.
 *
 * <p>Test classes run one after the other, so one static slot holds the proxy of the class that runs now.
 */
@ServerTest
public abstract class LlmProxyServerTest {

    protected static TestProxy proxy;

    /** For the subclass's {@code @SetUpServer}: a proxy serving {@code registryYaml} (null: the built-in registry). */
    protected static void serve(WebServerConfig.Builder server, String registryYaml, Map<String, String> overrides) {
        serve(server, registryYaml, overrides, Map.of());
    }

    /** The same, with these environment variables (provider keys, URLs). */
    protected static void serve(
            WebServerConfig.Builder server,
            String registryYaml,
            Map<String, String> overrides,
            Map<String, String> env) {
        if (proxy != null) {
            throw new IllegalStateException("The proxy of another test class is still open");
        }
        proxy = TestProxy.create(registryYaml, overrides, env);
        proxy.setUp(server);
    }

    @BeforeAll
    static void servedBy(WebServer server) {
        proxy.servedBy(server);
    }

    @AfterStop
    public static void closeProxy() {
        proxy.close();
        proxy = null;
    }
}
