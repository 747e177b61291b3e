package dev.codelab.agent;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.AfterStop;
import io.helidon.webserver.testing.junit5.ServerTest;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * One agent runtime per test class on Helidon's {@code @ServerTest} server: the subclass's {@code @SetUpServer}
 * method calls {@link #serve} with its settings; each test starts on empty tables and an unscripted fake LLM;
 * the runtime's pools and fake are released after the server stopped.
 *
 * <p>Test classes run one after the other, so one static slot holds the runtime of the class that runs now.
 */
@ServerTest
abstract class AgentServiceTest {

    static AgentHarness agent;

    /** For the subclass's {@code @SetUpServer}: a runtime with these settings and a fake LLM, on the test server. */
    static void serve(WebServerConfig.Builder server, Map<String, String> settings) {
        serve(server, AgentHarness.create(settings));
    }

    static void serve(WebServerConfig.Builder server, AgentHarness harness) {
        if (agent != null) {
            throw new IllegalStateException("The agent runtime of another test class is still open");
        }
        agent = harness;
        agent.setUp(server);
    }

    @BeforeAll
    static void servedBy(WebServer server) {
        agent.servedBy(server);
    }

    @BeforeEach
    void freshState() {
        agent.reset();
    }

    @AfterStop
    public static void closeAgent() {
        agent.close();
        agent = null;
    }
}
