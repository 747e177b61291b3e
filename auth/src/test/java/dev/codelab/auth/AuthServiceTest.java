package dev.codelab.auth;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.AfterStop;
import io.helidon.webserver.testing.junit5.ServerTest;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test class of the auth service's HTTP behaviour, on Helidon's {@code @ServerTest} server: the subclass's
 * {@code @SetUpServer} method calls {@link #serve} (its settings), each test reaches the service through
 * {@link #auth}, with Redis counters cleared so that limits and lockouts of one test never leak into the next,
 * and the service's pools and Redis are released after the server stopped.
 *
 * <p>Test classes run one after the other, so one static slot holds the service of the class that runs now.
 */
@ServerTest
abstract class AuthServiceTest {

    static AuthService service;
    AuthServer auth;

    /** For the subclass's {@code @SetUpServer}: a new service with these settings, routed on the test server. */
    static AuthService serve(WebServerConfig.Builder server, Map<String, String> overrides) {
        if (service != null) {
            throw new IllegalStateException("The service of another test class is still open");
        }
        service = AuthService.create(overrides);
        service.setUp(server);
        return service;
    }

    @BeforeEach
    void reach(URI uri) {
        service.flushRedis();
        auth = service.at(uri);
    }

    @AfterStop
    public static void closeService() {
        service.closeAll();
        service = null;
    }
}
