package dev.codelab.gateway;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.codelab.gateway.support.GatewayHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * One gateway per test class (started by the class with its settings, stopped after it), a fake agent back to
 * normal before each test, and small helpers.
 */
abstract class GatewayTestBase {

    static GatewayHarness gateway;

    static void startGateway(Map<String, String> settings) throws IOException {
        gateway = GatewayHarness.start(settings);
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
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
