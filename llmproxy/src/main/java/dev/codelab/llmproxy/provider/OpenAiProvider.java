package dev.codelab.llmproxy.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.llmproxy.registry.Deployment;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.sse.SseEventReader;
import java.io.IOException;
import java.net.URI;
import java.util.Map;

/**
 * Any OpenAI-compatible server (OpenAI, OpenRouter, vLLM, LiteLLM, Ollama's {@code /v1}): the request passes
 * through with the deployment's model name, and the answer comes back unchanged.
 */
public final class OpenAiProvider implements Provider {

    private final UpstreamHttp http;

    public OpenAiProvider(UpstreamHttp http) {
        this.http = http;
    }

    @Override
    public Completion complete(ProviderRequest request) {
        Deployment d = request.deployment();
        ObjectNode body = upstreamBody(request);
        body.remove("stream_options");
        byte[] answer = http.post(d.provider(), request.requestId(), endpoint(d), headers(d), body, d.timeout());
        JsonNode json = UpstreamHttp.json(d.provider(), answer);
        if (!json.isObject() || !json.path("choices").isArray()) {
            throw UpstreamException.broken(d.provider(), "answer is not a chat completion");
        }
        return new Completion((ObjectNode) json, answer);
    }

    @Override
    public void stream(ProviderRequest request, ChunkSink sink) {
        Deployment d = request.deployment();
        ObjectNode body = upstreamBody(request);
        body.putObject("stream_options").put("include_usage", true);
        try (UpstreamHttp.Lines lines = http.postStream(
                d.provider(), request.requestId(), endpoint(d), headers(d), body, d.timeout(), request.guard())) {
            SseEventReader events = new SseEventReader(lines);
            boolean finished = false;
            for (var event = events.next(); event.isPresent(); event = events.next()) {
                String data = event.get().data();
                if (data.equals("[DONE]")) {
                    return;
                }
                ObjectNode chunk = parse(d.provider(), data);
                if (chunk.has("error")) {
                    throw UpstreamException.broken(d.provider(), UpstreamHttp.errorMessage(data));
                }
                finished |= chunk.path("choices").path(0).hasNonNull("finish_reason");
                sink.relay(chunk, data);
            }
            if (!finished) {
                throw UpstreamException.broken(d.provider(), "stream ended before the answer was complete");
            }
        }
    }

    private static ObjectNode upstreamBody(ProviderRequest request) {
        ObjectNode body = request.body().deepCopy();
        body.put("model", request.deployment().model());
        return body;
    }

    private static URI endpoint(Deployment d) {
        return URI.create(d.baseUrl() + "/chat/completions");
    }

    private static Map<String, String> headers(Deployment d) {
        return d.apiKey().map(key -> Map.of("Authorization", "Bearer " + key)).orElse(Map.of());
    }

    static ObjectNode parse(String provider, String data) {
        try {
            JsonNode node = Json.read(data);
            if (node.isObject()) {
                return (ObjectNode) node;
            }
        } catch (IOException e) {
            // reported below
        }
        throw UpstreamException.broken(provider, "stream sent an event that is not a JSON object");
    }
}
