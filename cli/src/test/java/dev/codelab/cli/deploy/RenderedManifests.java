package dev.codelab.cli.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The objects {@code kubectl kustomize <dir>} renders, offline. A missing {@code kubectl} is a failure, not a reason
 * to skip: CI installs it ({@code .ci/run}).
 */
final class RenderedManifests {

    private final List<Map<String, Object>> objects;

    private RenderedManifests(List<Map<String, Object>> objects) {
        this.objects = objects;
    }

    @SuppressWarnings("unchecked")
    static RenderedManifests render(Path kustomization) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder("kubectl", "kustomize", kustomization.toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            throw new AssertionError(
                    "kubectl is needed to render compose/k8s (.ci/run installs it): " + e.getMessage(), e);
        }
        String yaml = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError("kubectl kustomize " + kustomization + " failed");
        }
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
            if (document != null) {
                objects.add((Map<String, Object>) document);
            }
        }
        return new RenderedManifests(objects);
    }

    List<Map<String, Object>> all() {
        return objects;
    }

    List<Map<String, Object>> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    Optional<Map<String, Object>> find(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(nameOf(o))).findFirst();
    }

    Map<String, Object> get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered"));
    }

    /** The only container of a Deployment or StatefulSet. */
    Map<String, Object> container(String kind, String name) {
        List<Map<String, Object>> containers = list(at(get(kind, name), "spec", "template", "spec", "containers"));
        if (containers.size() != 1) {
            throw new AssertionError(kind + " " + name + " has " + containers.size() + " containers");
        }
        return containers.get(0);
    }

    static String nameOf(Map<String, Object> object) {
        return String.valueOf(at(object, "metadata", "name"));
    }

    /** The value at a path of map keys, or {@code null}. */
    static Object at(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node) {
        return node instanceof Map<?, ?> ? (Map<String, Object>) node : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object node) {
        return node instanceof List<?> ? (List<Map<String, Object>>) node : List.of();
    }
}
