package dev.codelab.llmproxy;

import dev.codelab.llmproxy.testing.FakeUpstream;
import io.helidon.webserver.testing.junit5.AfterStop;
import org.junit.jupiter.api.BeforeEach;

/**
 * A proxy per test class in front of one {@link FakeUpstream}: the subclass's {@code @SetUpServer} method starts
 * {@link #upstream} and serves a registry that points at it; before each test the upstream has nothing scripted
 * or recorded. A test whose failures would rest the deployment for the class's next tests (three in a row) is in
 * a class of its own.
 */
abstract class ProviderServerTest extends LlmProxyServerTest {

    static FakeUpstream upstream;

    @BeforeEach
    void upstreamAsNew() {
        upstream.reset();
    }

    @AfterStop
    public static void stopUpstream() {
        upstream.close();
        upstream = null;
    }
}
