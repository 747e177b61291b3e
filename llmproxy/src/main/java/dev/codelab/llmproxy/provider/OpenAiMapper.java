package dev.codelab.llmproxy.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.llmproxy.registry.Deployment;
import java.net.URI;
import java.util.Map;

/**
 * Any OpenAI-compatible server (OpenAI, OpenRouter, vLLM, LiteLLM, Ollama's {@code /v1}): the request passes
 * through with the deployment's model name, and the answer comes back unchanged.
 */
public final class OpenAiMapper implements ProviderMapper {

    @Override
    public String name(Deployment d) {
        return d.provider();
    }

    @Override
    public URI endpoint(Deployment d) {
        return URI.create(d.baseUrl() + "/chat/completions");
    }

    @Override
    public Map<String, String> headers(Deployment d) {
        return d.apiKey().map(key -> Map.of("Authorization", "Bearer " + key)).orElse(Map.of());
    }

    /** A stream always asks for the usage chunk, which metering needs; a whole answer carries usage anyway. */
    @Override
    public ObjectNode request(ObjectNode body, Deployment d, boolean stream) {
        ObjectNode upstream = body.deepCopy();
        upstream.put("model", d.model());
        if (stream) {
            upstream.putObject("stream_options").put("include_usage", true);
        } else {
            upstream.remove("stream_options");
        }
        return upstream;
    }

    @Override
    public ChatCompletion completion(JsonNode answer, byte[] bytes, Deployment d) {
        if (!answer.isObject() || !answer.path("choices").isArray()) {
            throw ProviderException.broken(d.provider(), "answer is not a chat completion");
        }
        return new ChatCompletion((ObjectNode) answer, bytes);
    }

    @Override
    public StreamFraming framing() {
        return StreamFraming.SSE;
    }

    @Override
    public StreamMapper stream(Deployment d, ChunkSink sink) {
        return new OpenAiStreamMapper(d.provider(), sink);
    }
}
