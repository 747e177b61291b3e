package dev.codelab.gateway;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.codelab.gateway.support.GatewayHarness;
import dev.codelab.shared.http.Json;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.AfterStop;
import io.helidon.webserver.testing.junit5.ServerTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * One gateway per test class on Helidon's {@code @ServerTest} server: the subclass's {@code @SetUpServer} method
 * calls {@link #serve} with its settings; the gateway, its fake agent, keys and Redis are released after the
 * server stopped. The fake agent is back to normal before each test; small helpers.
 *
 * <p>Test classes run one after the other, so one static slot holds the gateway of the class that runs now.
 */
@ServerTest
abstract class GatewayTestBase {

    static GatewayHarness gateway;

    /** For the subclass's {@code @SetUpServer}: a gateway with these settings, routed on the test server. */
    static void serve(WebServerConfig.Builder server, Map<String, String> settings) throws IOException {
        if (gateway != null) {
            throw new IllegalStateException("The gateway of another test class is still open");
        }
        gateway = GatewayHarness.create(settings);
        gateway.setUp(server);
    }

    @BeforeAll
    static void servedBy(WebServer server) {
        gateway.servedBy(server);
    }

    @AfterStop
    public static void closeGateway() {
        gateway.close();
        gateway = null;
    }

    @BeforeEach
    void agentBackToNormal() {
        gateway.agent.reset();
    }

    /** An insertion-ordered map from key-value pairs, for building expected frames. */
    static Map<String, Object> map(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    /** A JSON object from its text, keys in the order written: expected frames and scripted events as text blocks. */
    static Map<String, Object> json(String text) {
        try {
            return Json.MAPPER.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat("condition not met in time", System.nanoTime() < deadline, is(true));
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static void await(CountDownLatch latch) throws InterruptedException {
        assertThat("waited too long", latch.await(10, TimeUnit.SECONDS), is(true));
    }
}
