package dev.codelab.cli.deploy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.codelab.shared.config.ServiceConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * What can be checked of the compose deployment without a Docker engine.
 */
class ComposeFileTest {

    private static final Path COMPOSE = Path.of("../compose/docker-compose.yml");
    /** compose service → (env prefix, yaml resource root) of the Java services. */
    private static final Map<String, String> JAVA_SERVICES =
            Map.of("auth", "AUTH_SERVICE", "gateway", "GATEWAY", "agent", "AGENT_RUNTIME", "llmproxy", "LLM_PROXY");
    /** Settings that describe the build, not the deployment. */
    private static final Set<String> NOT_DEPLOYMENT_SETTINGS = Set.of("version");

    private final ComposeFile compose = ComposeFile.read(COMPOSE);

    ComposeFileTest() throws IOException {}

    @Test
    void runsTheSevenServices() {
        assertThat(
                new TreeSet<>(compose.services()),
                is(new TreeSet<>(Set.of("nginx", "auth", "gateway", "agent", "llmproxy", "postgres", "redis"))));
    }

    @Test
    void onlyNginxPublishesPorts() {
        for (String service : compose.services()) {
            assertThat(
                    service + " publishes ports",
                    compose.service(service).containsKey("ports"),
                    is(service.equals("nginx")));
        }
    }

    @Test
    void everyServiceHasAHealthcheckAndStartsAfterHealthyDependencies() {
        for (String service : compose.services()) {
            Map<String, Object> definition = compose.service(service);
            assertThat(
                    service + " healthcheck",
                    definition.get("healthcheck") instanceof Map<?, ?> h && h.get("test") != null,
                    is(true));
            if (definition.get("depends_on") instanceof Map<?, ?> dependsOn) {
                dependsOn.forEach((dependency, condition) -> assertThat(
                        service + " depends on " + dependency,
                        ((Map<?, ?>) condition).get("condition"),
                        is("service_healthy")));
            }
        }
        assertThat(dependencies("agent"), is(Set.of("postgres", "llmproxy")));
        assertThat(dependencies("gateway"), is(Set.of("agent", "auth", "redis")));
        assertThat(dependencies("nginx"), is(Set.of("auth", "gateway")));
    }

    @Test
    void everySettingAServiceReadsIsSetInItsEnvironment() throws IOException {
        List<String> missing = new ArrayList<>();
        for (var entry : JAVA_SERVICES.entrySet()) {
            Map<String, String> environment = compose.rawEnvironment(entry.getKey());
            for (String variable : settingsOf(entry.getValue())) {
                if (!environment.containsKey(variable)) {
                    missing.add(entry.getKey() + ": " + variable);
                }
            }
            assertThat(environment, hasKey("PORT"));
            assertThat(environment, hasKey("ENVIRONMENT"));
        }
        assertThat(missing, is(empty()));
    }

    @Test
    void theSeedsHostNamesResolveInTheNetworkAndTheServiceUrlsUseThem() {
        assertThat(aliases("auth"), is(List.of("auth-service")));
        assertThat(aliases("agent"), is(List.of("agent-runtime")));
        assertThat(aliases("llmproxy"), is(List.of("llm-proxy")));
        assertThat(compose.rawEnvironment("gateway").get("GATEWAY__AGENT_URL"), is("http://agent-runtime:8001"));
        assertThat(compose.rawEnvironment("gateway").get("GATEWAY__AUTH_SERVICE_URL"), is("http://auth-service:8003"));
        assertThat(compose.rawEnvironment("agent").get("AGENT_RUNTIME__LLM_PROXY_URL"), is("http://llm-proxy:8002"));
    }

    private List<?> aliases(String service) {
        Map<?, ?> networks = (Map<?, ?>) compose.service(service).get("networks");
        return (List<?>) ((Map<?, ?>) networks.get("codelab")).get("aliases");
    }

    @Test
    void nginxGetsEveryVariableItsTemplateUses() throws IOException {
        Matcher m =
                Pattern.compile("\\$\\{(CODELAB_[A-Z_]+)}").matcher(Files.readString(Path.of("../nginx/nginx.conf")));
        Map<String, String> environment = compose.rawEnvironment("nginx");
        while (m.find()) {
            assertThat(environment, hasKey(m.group(1)));
        }
    }

    @Test
    void interpolatesLikeDockerCompose() {
        Map<String, String> env = Map.of("SET", "value", "EMPTY", "");
        assertThat(
                ComposeFile.interpolate("${SET}-${UNSET:-d}-${EMPTY:-e}-${EMPTY-f}-$${LITERAL}", env),
                is("value-d-e--${LITERAL}"));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> ComposeFile.interpolate("${NEEDED:?set NEEDED}", env));
        assertThat(e.getMessage(), is("Compose variable NEEDED is required: set NEEDED"));
    }

    private Set<String> dependencies(String service) {
        return ((Map<?, ?>) compose.service(service).get("depends_on"))
                .keySet().stream().map(String::valueOf).collect(java.util.stream.Collectors.toSet());
    }

    /** The environment variables behind every key of a service's yaml defaults under its root. */
    @SuppressWarnings("unchecked")
    private static Set<String> settingsOf(String prefix) throws IOException {
        String root = ServiceConfig.toKey(prefix);
        try (InputStream in = ComposeFileTest.class.getClassLoader().getResourceAsStream(root + ".yaml")) {
            Map<String, Object> yaml = new Yaml().load(in);
            Map<String, Object> settings = (Map<String, Object>) yaml.getOrDefault(root, Map.of());
            Set<String> variables = new TreeSet<>();
            // Structured settings (lists, maps) are set by a file, not by one variable.
            settings.forEach((key, value) -> {
                if (!NOT_DEPLOYMENT_SETTINGS.contains(key)
                        && !(value instanceof Map<?, ?>)
                        && !(value instanceof List<?>)) {
                    variables.add(prefix + "__" + key.toUpperCase().replace('-', '_'));
                }
            });
            return variables;
        }
    }
}
