package dev.codelab.llmproxy;

import dev.codelab.llmproxy.testing.FakeUpstream;
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

    private static final List<FakeUpstream> STARTED = new ArrayList<>();
    protected static FakeUpstream upstream;

    /** A new fake provider for this class, reset before each test and stopped with the class. */
    protected static FakeUpstream startUpstream() {
        FakeUpstream started = FakeUpstream.start();
        STARTED.add(started);
        return started;
    }

    @BeforeEach
    void upstreamsAsNew() {
        STARTED.forEach(FakeUpstream::reset);
    }

    @AfterStop
    public static void stopUpstreams() {
        STARTED.forEach(FakeUpstream::close);
        STARTED.clear();
        upstream = null;
    }
}
