package dev.codelab.agent.context;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The context windows of the proxy's models, read from its {@code GET /v1/models} and kept for
 * {@code model-info-refresh-seconds}; a failed read is tried again after the same time, and meanwhile the last
 * list (or, before the first, {@link ModelWindow#assumed}) answers. One read at a time: concurrent turns that find
 * the list stale wait for it rather than all asking.
 */
public final class ModelWindows {

    private static final System.Logger LOG = System.getLogger(ModelWindows.class.getName());

    private final Supplier<Optional<JsonNode>> source;
    private final Duration refresh;
    private final Clock clock;
    private Map<String, ModelWindow> windows = Map.of();
    private String defaultModel;
    private Instant readAt = Instant.MIN;

    /** @param source reads the proxy's model list; empty when it cannot be had */
    public ModelWindows(Supplier<Optional<JsonNode>> source, Duration refresh, Clock clock) {
        this.source = source;
        this.refresh = refresh;
        this.clock = clock;
    }

    /** The window of {@code model}, or of the proxy's default model when it is empty (requests then name none). */
    public synchronized ModelWindow of(Optional<String> model) {
        Instant now = clock.instant();
        if (!now.isBefore(readAt.plus(refresh))) {
            readAt = now;
            source.get().ifPresent(this::read);
        }
        String name = model.orElse(defaultModel);
        ModelWindow window = name == null ? null : windows.get(name);
        if (window == null) {
            LOG.log(
                    System.Logger.Level.DEBUG,
                    "The LLM proxy lists no window for model " + name + "; assuming "
                            + ModelWindow.ASSUMED_CONTEXT_WINDOW + " tokens");
            return ModelWindow.assumed(name);
        }
        return window;
    }

    private void read(JsonNode list) {
        Map<String, ModelWindow> read = new HashMap<>();
        for (JsonNode model : list.path("data")) {
            String id = model.path("id").asText("");
            int window = model.path("context_window").asInt(0);
            if (!id.isEmpty() && window > 0) {
                read.put(
                        id,
                        new ModelWindow(
                                id,
                                window,
                                model.path("max_output_tokens").asInt(ModelWindow.ASSUMED_MAX_OUTPUT_TOKENS)));
            }
        }
        windows = Map.copyOf(read);
        defaultModel = list.path("default_model").isTextual()
                ? list.get("default_model").asText()
                : null;
    }
}
