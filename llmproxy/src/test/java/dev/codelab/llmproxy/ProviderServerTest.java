package dev.codelab.llmproxy;

import dev.codelab.shared.fakellm.FakeLlm;
import io.helidon.webserver.testing.junit5.AfterStop;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;

/**
 * A proxy per test class in front of fake providers: the subclass's {@code @SetUpServer} method starts them
 * with {@link #startUpstream()} (the usual one is {@link #upstream}) and serves a registry that points at them;
 * before each test they have nothing scripted or recorded. A test whose failures would rest a deployment for
 * the class's next tests (three in a row) is in a class of its own.
 */
public abstract class ProviderServerTest extends LlmProxyServerTest {

    private static final List<FakeLlm> STARTED = new ArrayList<>();
    protected static FakeLlm upstream;

    /** A new fake provider for this class, reset before each test and stopped with the class. */
    protected static FakeLlm startUpstream() {
        FakeLlm started = FakeLlm.start();
        STARTED.add(started);
        return started;
    }

    @BeforeEach
    void upstreamsAsNew() {
        STARTED.forEach(FakeLlm::reset);
    }

    @AfterStop
    public static void stopUpstreams() {
        STARTED.forEach(FakeLlm::close);
        STARTED.clear();
        upstream = null;
    }
}
