package dev.codelab.shared.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.helidon.config.Config;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceConfigTest {

    @Test
    void prefixedVariablesBecomeKeysUnderTheServiceRoot() {
        Map<String, String> keys = ServiceConfig.fromEnvironment(
                "AUTH_SERVICE",
                Map.of(
                        "AUTH_SERVICE__JWT_ISSUER", "https://issuer",
                        "AUTH_SERVICE__RATE_LIMIT_PER_IP", "7",
                        "PORT", "9000",
                        "ENVIRONMENT", "production",
                        "GATEWAY__AGENT_URL", "http://agent",
                        "AUTH_SERVICE__", "ignored",
                        "AUTH_SERVICE__EMPTY", "",
                        "HOME", "/root"));

        assertThat(
                keys,
                is(Map.of(
                        "auth-service.jwt-issuer", "https://issuer",
                        "auth-service.rate-limit-per-ip", "7",
                        "server.port", "9000",
                        "environment", "production")));
    }

    @Test
    void overridesBeatEnvironmentWhichBeatsDefaults() {
        Config config = ServiceConfig.load(
                "GATEWAY",
                Map.of("GATEWAY__AGENT_URL", "http://from-env", "GATEWAY__REDIS_URL", "redis://env"),
                Map.of("gateway.redis-url", "redis://override"));

        assertThat(config.get("gateway.agent-url").asString().get(), is("http://from-env"));
        assertThat(config.get("gateway.redis-url").asString().get(), is("redis://override"));
        assertThat(config.get("gateway.missing").asString().orElse("default"), is("default"));
    }

    @Test
    void defaultsComeFromTheResourceNamedAfterTheRoot() {
        Config config = ServiceConfig.load("SAMPLE_SERVICE", Map.of("SAMPLE_SERVICE__LIMIT", "9"), Map.of());

        assertThat(config.get("sample-service.greeting").asString().get(), is("hello"));
        assertThat(config.get("sample-service.limit").asInt().get(), is(9));
        assertThat(config.get("server.port").asInt().get(), is(1234));
    }

    @Test
    void productionRefusesMissingOrDefaultSecrets() {
        Config production =
                ServiceConfig.load("X", Map.of("ENVIRONMENT", "production", "X__SECRET", "change-me"), Map.of());
        Config development = ServiceConfig.load("X", Map.of("X__SECRET", "change-me"), Map.of());

        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> Secrets.require(production, "x.secret", "X__SECRET", List.of("change-me")));
        assertThat(e.getMessage(), is("ENVIRONMENT=production needs a real secret in X__SECRET"));
        assertThrows(IllegalStateException.class, () -> Secrets.require(production, "x.other", "X__OTHER", List.of()));
        assertThat(Secrets.require(development, "x.secret", "X__SECRET", List.of("change-me")), is("change-me"));
    }

    @Test
    void baseUrlsLoseTheirTrailingSlashes() {
        assertThat(ServiceConfig.stripSlash("http://auth:8000"), is("http://auth:8000"));
        assertThat(ServiceConfig.stripSlash("http://auth:8000/"), is("http://auth:8000"));
        assertThat(ServiceConfig.stripSlash("http://auth:8000//"), is("http://auth:8000"));
        assertThat(ServiceConfig.stripSlash("https://example.com/base/"), is("https://example.com/base"));
    }
}
