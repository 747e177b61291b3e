package dev.codelab.auth;

import static dev.codelab.auth.AuthServer.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiscoveryTest extends AuthServiceTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, Map.of("auth-service.public-url", "http://localhost:8080/"));
    }

    @Test
    void metadataNamesEndpointsGrantsAndAuthMethods() {
        Map<String, Object> meta = json(auth.get("/.well-known/oauth-authorization-server"));

        assertThat(meta.get("issuer"), is("https://auth.codelab.local"));
        assertThat(meta.get("token_endpoint"), is("http://localhost:8080/oauth/token"));
        assertThat(meta.get("jwks_uri"), is("http://localhost:8080/.well-known/jwks.json"));
        assertThat(meta.get("revocation_endpoint"), is("http://localhost:8080/oauth/revoke"));
        assertThat(meta.get("introspection_endpoint"), is("http://localhost:8080/oauth/introspect"));
        assertThat(meta.get("grant_types_supported"), is(List.of("password", "refresh_token", "client_credentials")));
        assertThat(
                meta.get("token_endpoint_auth_methods_supported"),
                is(List.of("client_secret_basic", "client_secret_post", "none")));
        assertThat(meta.get("scopes_supported"), is(List.of("api:admin", "api:read", "api:write")));
    }

    @Test
    void healthAndReadiness() {
        Map<String, Object> health = json(auth.get("/health"));
        assertThat(health.get("status"), is("healthy"));
        assertThat(health.get("version"), is("0.1.0"));
        assertThat(health.get("environment"), is("development"));
        var ready = auth.get("/ready");
        assertThat(ready.statusCode(), is(200));
        assertThat(json(ready), is(Map.of("status", "ready", "checks", Map.of("database", "up", "redis", "up"))));
    }
}
