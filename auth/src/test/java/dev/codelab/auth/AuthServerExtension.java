package dev.codelab.auth;

import java.util.Map;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link AuthServer} per test class, with its Redis counters cleared before each test so limits and
 * lockouts of one test never leak into the next: {@code @RegisterExtension static final AuthServerExtension
 * auth = new AuthServerExtension(Map.of(...))}, then {@code auth.server()}.
 */
final class AuthServerExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    private final Map<String, String> overrides;
    private AuthServer server;

    AuthServerExtension(Map<String, String> overrides) {
        this.overrides = overrides;
    }

    AuthServerExtension() {
        this(Map.of());
    }

    AuthServer server() {
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = AuthServer.start(overrides);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        server.flushRedis();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.closeAll();
    }
}
