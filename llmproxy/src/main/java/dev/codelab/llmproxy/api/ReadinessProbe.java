package dev.codelab.llmproxy.api;

import dev.codelab.llmproxy.provider.UpstreamHttp;
import dev.codelab.llmproxy.registry.Deployment;
import dev.codelab.llmproxy.registry.ModelEntry;
import dev.codelab.llmproxy.registry.ModelRegistry;
import dev.codelab.shared.server.Readiness;
import dev.codelab.shared.server.Readiness.Impact;
import io.helidon.webserver.http.ServerRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The checks of {@code GET /ready} ({@link Readiness}): 200 when the default model has a usable deployment (its
 * key is set), else 503; reports each provider as {@code reachable}, {@code unreachable} (nothing answers HTTP at
 * its base URL), {@code missing <VAR>} or, for the fake model, {@code ok}. Reachability is informative only, so
 * that a provider outage does not take every proxy replica out of rotation at once.
 */
public final class ReadinessProbe implements Readiness.Probe {

    /** When deployments of one provider differ, the best state is reported. */
    private static final List<String> RANK = List.of("ok", "reachable", "unreachable");

    private final ModelRegistry registry;
    private final String defaultModel;
    private final UpstreamHttp http;

    public ReadinessProbe(ModelRegistry registry, String defaultModel, UpstreamHttp http) {
        this.registry = registry;
        this.defaultModel = defaultModel;
        this.http = http;
    }

    /** The {@code /ready} handler with these checks. */
    public Readiness handler() {
        return new Readiness("ready", "not_ready", "providers", this);
    }

    @Override
    public Readiness.Report run(ServerRequest req) {
        Map<String, String> providers = new LinkedHashMap<>();
        try (ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<String, Future<Boolean>> reachable = new LinkedHashMap<>();
            for (ModelEntry entry : registry.allEntries()) {
                for (Deployment d : entry.deployments()) {
                    if (d.available() && !d.provider().equals("fake")) {
                        reachable.computeIfAbsent(
                                d.baseUrl().toString(), url -> probes.submit(() -> http.reachable(d.baseUrl())));
                    }
                }
            }
            for (ModelEntry entry : registry.allEntries()) {
                for (Deployment d : entry.deployments()) {
                    providers.merge(
                            d.provider(), state(d, reachable.get(d.baseUrl().toString())), ReadinessProbe::better);
                }
            }
        }
        Readiness.Report report = new Readiness.Report().field("default_model", defaultModel);
        providers.forEach(report::state);
        return report.require(
                registry.find(defaultModel).map(ModelEntry::available).orElse(false), Impact.FAILS);
    }

    private static String state(Deployment d, Future<Boolean> probe) {
        if (d.missingVariable().isPresent()) {
            return "missing " + d.missingVariable().get();
        }
        if (d.provider().equals("fake")) {
            return "ok";
        }
        try {
            return probe.get() ? "reachable" : "unreachable";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unreachable";
        } catch (ExecutionException e) {
            return "unreachable";
        }
    }

    private static String better(String a, String b) {
        int rankA = RANK.indexOf(a);
        int rankB = RANK.indexOf(b);
        if (rankA < 0) {
            return b;
        }
        return rankB >= 0 && rankB < rankA ? b : a;
    }
}
