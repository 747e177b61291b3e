package dev.codelab.llmproxy;

import static dev.codelab.llmproxy.testing.TestProxy.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.llmproxy.testing.TestProxy;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dev stack's proxy: the built-in registry without provider keys, and {@code keyless-models: fake}. */
class FakeStandInTest extends LlmProxyServerTest {

    static final String SEED_CHAT = """
            {"model": "gpt-4", "messages": [{"role": "user", "content": "Hello"}], "stream": true}""";

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, null, Map.of("llm-proxy.keyless-models", "fake"));
    }

    /** A chat completion request for {@code model} as the seed sends it. */
    static String chat(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],\"stream\":"
                + stream + "}";
    }

    @Test
    void inTheDevStackTheFakeModelStandsInAndSaysSo() {
        List<String> data = proxy.streamData(SEED_CHAT);

        assertThat(data.getLast(), is("[DONE]"));
        List<JsonNode> chunks =
                data.subList(0, data.size() - 1).stream().map(TestProxy::json).toList();
        assertThat(
                chunks.stream().map(c -> c.path("object").asText()).toList(), everyItem(is("chat.completion.chunk")));
        assertThat(chunks.stream().map(c -> c.path("model").asText()).toList(), everyItem(is("fake:gpt-4")));
        assertThat(
                chunks.stream().map(c -> c.path("system_fingerprint").asText()).toList(),
                everyItem(is("fake-stand-in: OPENAI_API_KEY is not set, so the fake model answered for gpt-4")));
        assertThat(
                chunks.getFirst()
                        .path("choices")
                        .get(0)
                        .path("delta")
                        .path("role")
                        .asText(),
                is("assistant"));

        JsonNode completion = json(proxy.post("/v1/chat/completions", chat("claude-3-opus-latest", false))
                .body());
        assertThat(completion.path("model").asText(), is("fake:claude-3-opus-latest"));
        assertThat(
                completion.path("system_fingerprint").asText(),
                startsWith("fake-stand-in: ANTHROPIC_API_KEY is not set"));
        // The fake model itself answers as itself, and the lists stay honest about the missing keys.
        assertThat(
                json(proxy.post("/v1/chat/completions", chat("fake", false)).body())
                        .has("system_fingerprint"),
                is(false));
        assertThat(
                json(proxy.get("/ready").body())
                        .path("providers")
                        .path("openai")
                        .asText(),
                is("missing OPENAI_API_KEY"));
    }
}
