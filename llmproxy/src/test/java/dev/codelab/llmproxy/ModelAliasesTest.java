package dev.codelab.llmproxy;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.llmproxy.registry.Deployment;
import dev.codelab.llmproxy.registry.ModelEntry;
import dev.codelab.llmproxy.registry.ModelRegistry;
import dev.codelab.llmproxy.testing.FakeUpstream;
import dev.codelab.llmproxy.testing.FakeUpstream.Reply;
import dev.codelab.llmproxy.testing.TestProxy;
import org.junit.jupiter.api.Test;

import static dev.codelab.llmproxy.testing.TestProxy.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The seed's model names (gpt-4, gpt-3.5-turbo, claude-*, ollama/<model>) and what a keyless one answers. */
class ModelAliasesTest {

    static final String SEED_CHAT = """
            {"model": "gpt-4", "messages": [{"role": "user", "content": "Hello"}], "stream": true}""";

    @Test
    void theBuiltInRegistryServesTheSeedsModelNames() {
        ModelRegistry registry = ModelRegistry.load(Optional.empty(), Map.of("OLLAMA_BASE_URL", "http://ollama:11434"));

        assertThat(served(registry, "gpt-4"), is("openai gpt-4o"));
        assertThat(served(registry, "gpt-3.5-turbo"), is("openai gpt-4o-mini"));
        assertThat(served(registry, "gpt-4o"), is("openai gpt-4o"));
        assertThat(served(registry, "gpt-4o-mini"), is("openai gpt-4o-mini"));
        assertThat(served(registry, "claude-sonnet-4"), is("anthropic claude-sonnet-4-20250514"));
        assertThat(served(registry, "claude-opus-4-1"), is("anthropic claude-opus-4-1"));
        assertThat(served(registry, "ollama/llama3.2"), is("ollama llama3.2"));
        assertThat(served(registry, "ollama/qwen3:0.6b"), is("ollama qwen3:0.6b"));
        assertThat(registry.find("ollama/llama3.2").orElseThrow().deployments().getFirst().baseUrl().toString(),
                is("http://ollama:11434"));
        assertThat(registry.find("ollama/").isPresent(), is(false));
        assertThat(registry.find("mistral-large").isPresent(), is(false));
        assertThat(registry.find("claude-opus-4-1").orElseThrow().missingVariable(), is(Optional.of("ANTHROPIC_API_KEY")));
        assertThat(registry.entries().stream().map(ModelEntry::alias).toList(), everyItem(not(containsString("*"))));
    }

    private static String served(ModelRegistry registry, String name) {
        ModelEntry entry = registry.find(name).orElseThrow(() -> new AssertionError(name + " is not served"));
        assertThat(entry.alias(), is(name));
        Deployment deployment = entry.deployments().getFirst();
        return deployment.provider() + " " + deployment.model();
    }

    @Test
    void aPatternAliasSendsTheMatchedNameToItsProviderAndExactAliasesWin() {
        try (FakeUpstream upstream = FakeUpstream.start();
             TestProxy proxy = TestProxy.start("""
                     models:
                       - alias: "local/*"
                         deployments:
                           - {provider: openai, model: "*", base_url: "%1$s"}
                       - alias: "local/pinned"
                         deployments:
                           - {provider: openai, model: pinned-v2, base_url: "%1$s"}
                     """.formatted(upstream.baseUrl()))) {
            upstream.then(Reply.json(200, OpenAiProviderTest.COMPLETION)).then(Reply.json(200, OpenAiProviderTest.COMPLETION));

            assertThat(proxy.post("/v1/chat/completions", chat("local/llama3.2", false)).statusCode(), is(200));
            assertThat(proxy.post("/v1/chat/completions", chat("local/pinned", false)).statusCode(), is(200));

            assertThat(upstream.requests().get(0).json().path("model").asText(), is("llama3.2"));
            assertThat(upstream.requests().get(1).json().path("model").asText(), is("pinned-v2"));
            assertThat(json(proxy.post("/v1/chat/completions", chat("local/", false)).body()).path("error").path("code").asText(),
                    is("model_not_found"));
        }
    }

    @Test
    void aPatternAliasNeedsOneStarAtItsEnd() {
        for (String alias : List.of("*", "a*b", "a**")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> TestProxy.start("""
                    models:
                      - alias: "%s"
                        deployments:
                          - {provider: fake}
                    """.formatted(alias)).close());
            assertThat(e.getMessage(), is("Model " + alias + ": a pattern alias has one '*', at its end, after a prefix"));
        }
    }

    @Test
    void byDefaultAKeylessSeedModelAnswers503NamingTheMissingVariable() {
        try (TestProxy proxy = TestProxy.start(null)) {
            for (String model : List.of("gpt-4", "gpt-3.5-turbo", "claude-3-opus-latest", "ollama/llama3.2")) {
                HttpResponse<String> response = proxy.post("/v1/chat/completions", SEED_CHAT.replace("gpt-4", model));

                assertThat(model, response.statusCode(), is(503));
                String variable = model.startsWith("gpt") ? "OPENAI_API_KEY"
                        : model.startsWith("claude") ? "ANTHROPIC_API_KEY" : "OLLAMA_BASE_URL";
                assertThat(json(response.body()), is(json("""
                        {"error":{"message":"Model %s is unavailable: its provider needs the environment variable %s, \
                        which is not set for the LLM proxy","type":"provider_unavailable","param":null,\
                        "code":"provider_unavailable"}}""".formatted(model, variable))));
            }
        }
    }

    @Test
    void inTheDevStackTheFakeModelStandsInAndSaysSo() {
        try (TestProxy proxy = TestProxy.start(null, Map.of("llm-proxy.keyless-models", "fake"), Map.of())) {
            List<String> data = proxy.streamData(SEED_CHAT);

            assertThat(data.getLast(), is("[DONE]"));
            List<JsonNode> chunks = data.subList(0, data.size() - 1).stream().map(TestProxy::json).toList();
            assertThat(chunks.stream().map(c -> c.path("object").asText()).toList(), everyItem(is("chat.completion.chunk")));
            assertThat(chunks.stream().map(c -> c.path("model").asText()).toList(), everyItem(is("fake:gpt-4")));
            assertThat(chunks.stream().map(c -> c.path("system_fingerprint").asText()).toList(), everyItem(is(
                    "fake-stand-in: OPENAI_API_KEY is not set, so the fake model answered for gpt-4")));
            assertThat(chunks.getFirst().path("choices").get(0).path("delta").path("role").asText(), is("assistant"));

            JsonNode completion = json(proxy.post("/v1/chat/completions",
                    chat("claude-3-opus-latest", false)).body());
            assertThat(completion.path("model").asText(), is("fake:claude-3-opus-latest"));
            assertThat(completion.path("system_fingerprint").asText(), startsWith("fake-stand-in: ANTHROPIC_API_KEY is not set"));
            // The fake model itself answers as itself, and the lists stay honest about the missing keys.
            assertThat(json(proxy.post("/v1/chat/completions", chat("fake", false)).body()).has("system_fingerprint"), is(false));
            assertThat(json(proxy.get("/ready").body()).path("providers").path("openai").asText(), is("missing OPENAI_API_KEY"));
        }
    }

    @Test
    void productionRefusesTheFakeStandIn() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TestProxy.start(null,
                Map.of("llm-proxy.keyless-models", "fake", "environment", "production",
                        "llm-proxy.internal-api-key", "a-real-production-key"), Map.of()).close());

        assertThat(e.getMessage(), startsWith("LLM_PROXY__KEYLESS_MODELS=fake is for the dev stack"));
        IllegalStateException typo = assertThrows(IllegalStateException.class, () -> TestProxy.start(null,
                Map.of("llm-proxy.keyless-models", "sometimes"), Map.of()).close());
        assertThat(typo.getMessage(), is("LLM_PROXY__KEYLESS_MODELS must be 'unavailable' or 'fake', not 'sometimes'"));
    }

    private static String chat(String model, boolean stream) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],\"stream\":" + stream + "}";
    }
}
