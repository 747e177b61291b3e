package dev.codelab.llmproxy.api;

import dev.codelab.llmproxy.registry.ModelEntry;
import dev.codelab.llmproxy.registry.ModelRegistry;
import dev.codelab.shared.http.Json;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The model lists: {@code /v1/models} (OpenAI) and {@code /v1/llm/models} (the original CodeLab shape). */
public final class ModelsHandlers {

    private final ModelRegistry registry;
    private final String defaultModel;
    private final long created = Instant.now().getEpochSecond();

    public ModelsHandlers(ModelRegistry registry, String defaultModel) {
        this.registry = registry;
        this.defaultModel = defaultModel;
    }

    /**
     * OpenAI's list: the aliases that can be used now, each with its window and longest answer (keys OpenAI's
     * clients ignore), and the model a request without {@code model} gets, so that callers can budget prompts.
     */
    public void openAiList(ServerRequest req, ServerResponse res) {
        List<Map<String, Object>> data = new ArrayList<>();
        for (ModelEntry entry : registry.entries()) {
            if (entry.available()) {
                Map<String, Object> model = new LinkedHashMap<>();
                model.put("id", entry.alias());
                model.put("object", "model");
                model.put("created", created);
                model.put("owned_by", entry.provider());
                model.put("context_window", entry.contextWindow());
                model.put("max_output_tokens", entry.maxOutputTokens());
                data.add(model);
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", "list");
        body.put("data", data);
        body.put("default_model", defaultModel);
        Json.send(res, Status.OK_200, body);
    }

    /** The original CodeLab list: every alias, with whether its provider key is set. */
    public void codeLabList(ServerRequest req, ServerResponse res) {
        List<Map<String, Object>> models = new ArrayList<>();
        for (ModelEntry entry : registry.entries()) {
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("id", entry.alias());
            model.put("name", entry.alias());
            model.put("provider", entry.provider());
            model.put("context_length", entry.contextWindow());
            model.put("is_available", entry.available());
            model.put("supports_tools", entry.supportsTools());
            models.add(model);
        }
        Json.send(res, Status.OK_200, models);
    }
}
