package dev.codelab.llmproxy.api;

import dev.codelab.llmproxy.provider.UpstreamHttp;
import dev.codelab.llmproxy.registry.Deployment;
import dev.codelab.llmproxy.registry.ModelEntry;
import dev.codelab.llmproxy.registry.ModelRegistry;
import dev.codelab.shared.http.Json;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code GET /ready}: 200 when the default model has a usable deployment (its key is set), else 503; reports each
 * provider as {@code reachable}, {@code unreachable} (nothing answers HTTP at its base URL), {@code missing <VAR>}
 * or, for the fake model, {@code ok}. Reachability is informative only, so that a provider outage does not take
 * every proxy replica out of rotation at once.
 */
public final class ReadinessHandler implements Handler {

    /** When deployments of one provider differ, the best state is reported. */
    private static final List<String> RANK = List.of("ok", "reachable", "unreachable");

    private final ModelRegistry registry;
    private final String defaultModel;
    private final UpstreamHttp http;

    public ReadinessHandler(ModelRegistry registry, String defaultModel, UpstreamHttp http) {
        this.registry = registry;
        this.defaultModel = defaultModel;
        this.http = http;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
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
                            d.provider(), state(d, reachable.get(d.baseUrl().toString())), ReadinessHandler::better);
                }
            }
        }
        boolean ready = registry.find(defaultModel).map(ModelEntry::available).orElse(false);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ready ? "ready" : "not_ready");
        body.put("default_model", defaultModel);
        body.put("providers", providers);
        Json.send(res, ready ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503, body);
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
