package dev.codelab.cli.deploy;

import static dev.codelab.cli.deploy.RenderedManifests.at;
import static dev.codelab.cli.deploy.RenderedManifests.list;
import static dev.codelab.cli.deploy.RenderedManifests.map;
import static dev.codelab.cli.deploy.RenderedManifests.nameOf;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.both;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Kubernetes manifests under {@code compose/k8s}, rendered offline with {@code kubectl kustomize}: the base
 * (in-cluster PostgreSQL and Redis) and the overlay for external ones. Each Java service runs with exactly its
 * compose environment, secrets come only from the Secret, and probes, autoscaling, disruption budgets, network
 * policies and the Ingress are what docs/deployment.md promises.
 */
class KubernetesManifestsTest {

    private static final Path K8S = Path.of("../compose/k8s");
    private static final Path BASE = K8S.resolve("base");
    private static final Path EXTERNAL = K8S.resolve("overlays/external-data");
    private static final List<String> JAVA_SERVICES = List.of("auth", "gateway", "agent", "llmproxy");
    /** Services whose readiness route is behind the internal key. */
    private static final Set<String> INTERNAL_SERVICES = Set.of("agent", "llmproxy");

    private static final String SECRET = "codelab-secrets";
    /** Variables whose values are secrets even where compose gives them an (empty) default. */
    private static final Pattern SECRET_NAME = Pattern.compile(".*(_API_KEY|_SECRET|_PASSWORD|_MASTER_KEY)");

    private static final Pattern COMPOSE_VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:?[-?])?[^}]*}");
    private static final Pattern KUBERNETES_REFERENCE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");
    /** What the overlay reads whole from the Secret instead of composing it around in-cluster hosts. */
    private static final Set<String> EXTERNAL_DATA_URLS = Set.of(
            "AUTH_SERVICE__DB_URL",
            "AUTH_SERVICE__REDIS_URL",
            "AGENT_RUNTIME__DB_URL",
            "LLM_PROXY__DB_URL",
            "GATEWAY__REDIS_URL");

    private static final String INGRESS_CONTROLLER = "namespace:ingress-nginx";

    private static ComposeFile compose;
    private static RenderedManifests base;
    private static RenderedManifests external;

    @BeforeAll
    static void render() throws IOException, InterruptedException {
        compose = ComposeFile.read(Path.of("../compose/docker-compose.yml"));
        base = RenderedManifests.render(BASE);
        external = RenderedManifests.render(EXTERNAL);
    }

    @Test
    void baseRunsEveryServiceWithExactlyItsComposeEnvironment() {
        for (String service : JAVA_SERVICES) {
            assertEnvironmentIsCompose(base, service, Set.of());
        }
    }

    @Test
    void externalDataOverlayReadsTheDataUrlsFromTheSecretAndDropsTheInClusterStores() {
        for (String service : JAVA_SERVICES) {
            assertEnvironmentIsCompose(external, service, EXTERNAL_DATA_URLS);
        }
        for (Map<String, Object> object : external.all()) {
            String name = nameOf(object);
            assertThat(
                    object.get("kind") + " " + name + " belongs to the in-cluster stores",
                    name.startsWith("postgres") || name.startsWith("redis"),
                    is(false));
        }
        assertThat(
                base.find("StatefulSet", "postgres").isPresent()
                        && base.find("Deployment", "redis").isPresent(),
                is(true));
    }

    @Test
    void noSecretValueIsRendered() {
        for (RenderedManifests rendered : List.of(base, external)) {
            assertThat(rendered.ofKind("Secret"), is(empty()));
            for (Map<String, Object> workload : workloads(rendered)) {
                for (Map<String, Object> env : environmentOf(workload)) {
                    String name = String.valueOf(env.get("name"));
                    Object value = env.get("value");
                    if (SECRET_NAME.matcher(name).matches()) {
                        assertThat(
                                nameOf(workload) + " " + name + " comes from the Secret",
                                secretKeyOf(env),
                                notNullValue());
                    }
                    if (value != null && String.valueOf(value).contains("@")) {
                        URI uri = URI.create(String.valueOf(value));
                        String password = uri.getRawUserInfo()
                                .substring(uri.getRawUserInfo().indexOf(':') + 1);
                        assertThat(
                                nameOf(workload) + " " + name + " password",
                                KUBERNETES_REFERENCE.matcher(password).matches(),
                                is(true));
                    }
                }
            }
        }
    }

    @Test
    void secretTemplatesListExactlyTheKeysTheManifestsRead() throws IOException {
        assertThat(templateKeys(BASE.resolve("secret.example.yaml")), is(secretKeysRead(base)));
        assertThat(templateKeys(EXTERNAL.resolve("secret.example.yaml")), is(secretKeysRead(external)));
    }

    @Test
    void probesCheckReadinessWithTheInternalKeyWhereNeededAndLivenessOnHealth() {
        Map<String, String> readinessPath =
                Map.of("auth", "/ready", "gateway", "/health", "agent", "/ready", "llmproxy", "/ready");
        for (String service : JAVA_SERVICES) {
            Map<String, Object> container = base.container("Deployment", service);
            String port = valueOf(container, "PORT");
            assertThat(service + " http port", containerPort(container, "http"), is(Integer.parseInt(port)));
            assertThat(service + " liveness", at(container, "livenessProbe", "httpGet", "path"), is("/health"));
            assertThat(service + " liveness port", at(container, "livenessProbe", "httpGet", "port"), is("http"));
            Map<String, Object> readiness = map(container.get("readinessProbe"));
            if (INTERNAL_SERVICES.contains(service)) {
                List<?> command = (List<?>) at(readiness, "exec", "command");
                String keyVariable = list(container.get("env")).stream()
                        .filter(env -> "CODELAB_INTERNAL_API_KEY".equals(secretKeyOf(env)))
                        .map(env -> String.valueOf(env.get("name")))
                        .findFirst()
                        .orElseThrow();
                assertThat(command.subList(0, 2), is(List.of("sh", "-c")));
                assertThat(
                        String.valueOf(command.get(2)), containsString("-H \"X-Internal-Auth: $" + keyVariable + "\""));
                assertThat(
                        String.valueOf(command.get(2)),
                        containsString("http://localhost:" + port + readinessPath.get(service)));
            } else {
                assertThat(service + " readiness", at(readiness, "httpGet", "path"), is(readinessPath.get(service)));
                assertThat(service + " readiness port", at(readiness, "httpGet", "port"), is("http"));
            }
        }
        for (Map<String, Object> workload : workloads(base)) {
            Map<String, Object> container = base.container(String.valueOf(workload.get("kind")), nameOf(workload));
            assertThat(nameOf(workload) + " readiness", container.get("readinessProbe"), notNullValue());
            assertThat(nameOf(workload) + " liveness", container.get("livenessProbe"), notNullValue());
        }
    }

    @Test
    void servicesAreNamedSoTheDefaultUrlsHold() {
        for (String service : JAVA_SERVICES) {
            assertThat(
                    service + " Service port",
                    servicePorts(base, service),
                    is(Set.of(Integer.parseInt(valueOf(base.container("Deployment", service), "PORT")))));
        }
        for (Map<String, Object> workload : workloads(base)) {
            for (Map<String, Object> env : environmentOf(workload)) {
                String value = String.valueOf(env.get("value"));
                if (!value.matches("[a-z]+://.*")) {
                    continue;
                }
                URI uri = URI.create(value);
                if (uri.getHost().contains(".") || uri.getHost().equals("localhost")) {
                    continue; // not a Service of the namespace (such as the JWT issuer)
                }
                assertThat(
                        nameOf(workload) + " " + env.get("name") + " → Service " + uri.getHost(),
                        servicePorts(base, uri.getHost()),
                        hasItem(uri.getPort()));
                Map<String, Object> selector = map(at(base.get("Service", uri.getHost()), "spec", "selector"));
                assertThat(
                        "Service " + uri.getHost() + " selects its pods",
                        workloads(base).stream()
                                .anyMatch(w -> map(at(w, "spec", "template", "metadata", "labels"))
                                                .entrySet()
                                                .containsAll(selector.entrySet())
                                        && !selector.isEmpty()),
                        is(true));
            }
        }
    }

    @Test
    void gatewayAndAgentScaleOnCpuAndEveryServiceHasADisruptionBudget() {
        for (String service : List.of("gateway", "agent")) {
            Map<String, Object> hpa = base.get("HorizontalPodAutoscaler", service);
            assertThat(at(hpa, "spec", "scaleTargetRef", "kind"), is("Deployment"));
            assertThat(at(hpa, "spec", "scaleTargetRef", "name"), is(service));
            assertThat((Integer) at(hpa, "spec", "minReplicas"), greaterThanOrEqualTo(2));
            assertThat(
                    service + " leaves its replica count to the autoscaler",
                    at(base.get("Deployment", service), "spec", "replicas"),
                    nullValue());
            assertThat(
                    service + " requests cpu",
                    at(base.container("Deployment", service), "resources", "requests", "cpu"),
                    notNullValue());
        }
        assertThat(base.ofKind("HorizontalPodAutoscaler").size(), is(2));
        for (String service : JAVA_SERVICES) {
            Map<String, Object> pdb = base.get("PodDisruptionBudget", service);
            assertThat(
                    at(pdb, "spec", "selector", "matchLabels"),
                    is(at(base.get("Deployment", service), "spec", "selector", "matchLabels")));
            assertThat(at(pdb, "spec", "maxUnavailable"), is(1));
        }
    }

    @Test
    void networkPoliciesAllowOnlyTheHopsTheStackMakes() {
        Map<String, Set<String>> expected = new TreeMap<>(Map.of(
                "gateway", Set.of(INGRESS_CONTROLLER),
                "auth", Set.of(INGRESS_CONTROLLER, "pod:gateway"),
                "agent", Set.of("pod:gateway"),
                "llmproxy", Set.of("pod:agent"),
                "postgres", Set.of("pod:auth", "pod:agent", "pod:llmproxy"),
                "redis", Set.of("pod:auth", "pod:gateway")));
        assertThat(allowedSources(base), is(expected));
        expected.keySet().removeAll(Set.of("postgres", "redis"));
        assertThat(allowedSources(external), is(expected));
    }

    @Test
    void ingressRoutesThePublicPathsOnlyWithLongWebSocketTimeouts() {
        Map<String, String> routes = new TreeMap<>();
        for (Map<String, Object> ingress : base.ofKind("Ingress")) {
            List<String> paths = new ArrayList<>();
            for (Map<String, Object> rule : list(at(ingress, "spec", "rules"))) {
                for (Map<String, Object> path : list(at(rule, "http", "paths"))) {
                    assertThat(path.get("pathType"), is("Prefix"));
                    routes.put(
                            String.valueOf(path.get("path")),
                            at(path, "backend", "service", "name") + ":"
                                    + at(path, "backend", "service", "port", "number"));
                    paths.add(String.valueOf(path.get("path")));
                }
            }
            if (paths.contains("/api/v1/ws/")) {
                assertThat("the WebSocket route has an Ingress of its own", paths, is(List.of("/api/v1/ws/")));
                Map<String, Object> annotations = map(at(ingress, "metadata", "annotations"));
                for (String timeout : List.of("proxy-read-timeout", "proxy-send-timeout")) {
                    assertThat(
                            timeout,
                            Integer.parseInt(String.valueOf(annotations.get("nginx.ingress.kubernetes.io/" + timeout))),
                            greaterThanOrEqualTo(3600));
                }
            }
        }
        assertThat(
                routes,
                is(new TreeMap<>(Map.of(
                        "/oauth/",
                        "auth:8003",
                        "/.well-known/",
                        "auth:8003",
                        "/api/v1/",
                        "gateway:8000",
                        "/api/v1/ws/",
                        "gateway:8000"))));
    }

    @Test
    void inClusterPostgresRunsComposesInitScript() throws IOException {
        Map<String, Object> init = base.get("ConfigMap", "postgres-init");
        assertThat(at(init, "data", "01-codelab.sh"), is(Files.readString(Path.of("../compose/postgres-init.sh"))));
    }

    /**
     * Every variable of the service's compose block is set, to what compose sets it with the defaults of
     * {@code .env}: a variable that is only a secret comes from the Secret (optional where compose lets it be
     * empty); a value around secrets refers to them as {@code $(VAR)}, each set from the Secret before it.
     */
    private static void assertEnvironmentIsCompose(
            RenderedManifests rendered, String service, Set<String> fromSecretWhole) {
        List<Map<String, Object>> environment = environmentOf(rendered.get("Deployment", service));
        Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
        environment.forEach(env -> byName.put(String.valueOf(env.get("name")), env));
        Set<String> referenced = new TreeSet<>();
        compose.rawEnvironment(service).forEach((name, raw) -> {
            Map<String, Object> env = byName.get(name);
            assertThat(service + " sets " + name, env, notNullValue());
            if (fromSecretWhole.contains(name)) {
                assertSecretRef(service, env, name, false);
                return;
            }
            Map<String, String> secrets = new HashMap<>();
            Matcher variable = COMPOSE_VARIABLE.matcher(raw);
            while (variable.find()) {
                boolean required =
                        variable.group(2) != null && variable.group(2).endsWith("?");
                if (required || SECRET_NAME.matcher(variable.group(1)).matches()) {
                    secrets.put(variable.group(1), "$(" + variable.group(1) + ")");
                    if (variable.group().equals(raw)) {
                        assertSecretRef(service, env, variable.group(1), !required);
                        return;
                    }
                }
            }
            String expected = ComposeFile.interpolate(raw, secrets);
            assertThat(service + " " + name, String.valueOf(env.get("value")), is(expected));
            Matcher reference = KUBERNETES_REFERENCE.matcher(expected);
            while (reference.find()) {
                String secret = reference.group(1);
                List<String> order = new ArrayList<>(byName.keySet());
                assertThat(
                        service + " sets " + secret + " before " + name,
                        order.indexOf(secret),
                        is(both(greaterThanOrEqualTo(0)).and(lessThan(order.indexOf(name)))));
                assertSecretRef(service, byName.get(secret), secret, false);
                referenced.add(secret);
            }
        });
        Set<String> expectedNames =
                new TreeSet<>(compose.rawEnvironment(service).keySet());
        expectedNames.addAll(referenced);
        assertThat(service + " sets nothing compose does not", new TreeSet<>(byName.keySet()), is(expectedNames));
    }

    private static void assertSecretRef(String service, Map<String, Object> env, String key, boolean optional) {
        assertThat(service + " " + env.get("name") + " has no literal value", env.get("value"), nullValue());
        Map<String, Object> ref = map(at(env, "valueFrom", "secretKeyRef"));
        assertThat(service + " " + env.get("name") + " Secret", ref.get("name"), is(SECRET));
        assertThat(service + " " + env.get("name") + " key", ref.get("key"), is(key));
        assertThat(
                service + " " + env.get("name") + " optional", Boolean.TRUE.equals(ref.get("optional")), is(optional));
    }

    private static String secretKeyOf(Map<String, Object> env) {
        Object key = at(env, "valueFrom", "secretKeyRef", "key");
        return key == null ? null : String.valueOf(key);
    }

    private static String valueOf(Map<String, Object> container, String name) {
        return list(container.get("env")).stream()
                .filter(env -> name.equals(env.get("name")))
                .map(env -> String.valueOf(env.get("value")))
                .findFirst()
                .orElseThrow();
    }

    private static int containerPort(Map<String, Object> container, String name) {
        return list(container.get("ports")).stream()
                .filter(p -> name.equals(p.get("name")))
                .map(p -> (Integer) p.get("containerPort"))
                .findFirst()
                .orElseThrow();
    }

    private static List<Map<String, Object>> workloads(RenderedManifests rendered) {
        List<Map<String, Object>> workloads = new ArrayList<>(rendered.ofKind("Deployment"));
        workloads.addAll(rendered.ofKind("StatefulSet"));
        return workloads;
    }

    private static List<Map<String, Object>> environmentOf(Map<String, Object> workload) {
        List<Map<String, Object>> environment = new ArrayList<>();
        for (Map<String, Object> container : list(at(workload, "spec", "template", "spec", "containers"))) {
            environment.addAll(list(container.get("env")));
        }
        return environment;
    }

    private static Set<Integer> servicePorts(RenderedManifests rendered, String name) {
        Set<Integer> ports = new TreeSet<>();
        rendered.find("Service", name)
                .ifPresent(service ->
                        list(at(service, "spec", "ports")).forEach(port -> ports.add((Integer) port.get("port"))));
        return ports;
    }

    private static Set<String> secretKeysRead(RenderedManifests rendered) {
        Set<String> keys = new TreeSet<>();
        for (Map<String, Object> workload : workloads(rendered)) {
            for (Map<String, Object> env : environmentOf(workload)) {
                if (secretKeyOf(env) != null) {
                    assertThat(at(env, "valueFrom", "secretKeyRef", "name"), is(SECRET));
                    keys.add(secretKeyOf(env));
                }
            }
        }
        return keys;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> templateKeys(Path template) throws IOException {
        try (Reader reader = Files.newBufferedReader(template)) {
            Map<String, Object> secret = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            assertThat(at(secret, "metadata", "name"), is(SECRET));
            Map<String, Object> data = (Map<String, Object>) secret.get("stringData");
            data.forEach((key, value) -> assertThat(template + " " + key + " is left empty", value, is("")));
            return new TreeSet<>(data.keySet());
        }
    }

    /**
     * Pod name → who may connect to it (each rule only on the pod's Service port), with the deny-all policy
     * asserted: {@code pod:<name>} for pods of the namespace, {@code namespace:<name>} for another namespace.
     */
    private static Map<String, Set<String>> allowedSources(RenderedManifests rendered) {
        Map<String, Set<String>> allowed = new TreeMap<>();
        boolean denyAll = false;
        for (Map<String, Object> policy : rendered.ofKind("NetworkPolicy")) {
            assertThat(at(policy, "spec", "policyTypes"), is(List.of("Ingress")));
            Map<String, Object> target = map(at(policy, "spec", "podSelector", "matchLabels"));
            if (target.isEmpty()) {
                assertThat("the deny-all policy allows nothing", at(policy, "spec", "ingress"), nullValue());
                denyAll = true;
                continue;
            }
            String pod = String.valueOf(target.get("app.kubernetes.io/name"));
            for (Map<String, Object> rule : list(at(policy, "spec", "ingress"))) {
                assertThat(
                        pod + " is open on its Service port only",
                        list(rule.get("ports")).stream()
                                .map(p -> (Integer) p.get("port"))
                                .toList(),
                        is(List.copyOf(servicePorts(rendered, pod))));
                for (Map<String, Object> from : list(rule.get("from"))) {
                    Object namespace = at(from, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name");
                    Object source = at(from, "podSelector", "matchLabels", "app.kubernetes.io/name");
                    allowed.computeIfAbsent(pod, p -> new LinkedHashSet<>())
                            .add(namespace != null ? "namespace:" + namespace : "pod:" + source);
                }
            }
        }
        assertThat("a default deny-all ingress policy", denyAll, is(true));
        Map<String, Set<String>> result = new TreeMap<>();
        allowed.forEach((pod, sources) -> result.put(pod, Set.copyOf(sources)));
        return result;
    }
}
