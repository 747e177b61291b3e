package dev.codelab.llmproxy;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.codelab.llmproxy.registry.Deployment;
import dev.codelab.llmproxy.registry.ModelEntry;
import dev.codelab.llmproxy.registry.ModelRegistry;
import dev.codelab.llmproxy.testing.TestProxy;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The seed's model names (gpt-4, gpt-3.5-turbo, claude-*, ollama/<model>) and the registries and settings a proxy
 * refuses to start with. Served: pattern aliases in {@link PatternAliasTest}, a keyless seed model in
 * {@link ModelsAndObservabilityTest}, the fake stand-in of the dev stack in {@link FakeStandInTest}.
 */
class ModelAliasesTest {

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
        assertThat(
                registry.find("ollama/llama3.2")
                        .orElseThrow()
                        .deployments()
                        .getFirst()
                        .baseUrl()
                        .toString(),
                is("http://ollama:11434"));
        assertThat(registry.find("ollama/").isPresent(), is(false));
        assertThat(registry.find("mistral-large").isPresent(), is(false));
        assertThat(
                registry.find("claude-opus-4-1").orElseThrow().missingVariable(), is(Optional.of("ANTHROPIC_API_KEY")));
        assertThat(registry.entries().stream().map(ModelEntry::alias).toList(), everyItem(not(containsString("*"))));
    }

    private static String served(ModelRegistry registry, String name) {
        ModelEntry entry = registry.find(name).orElseThrow(() -> new AssertionError(name + " is not served"));
        assertThat(entry.alias(), is(name));
        Deployment deployment = entry.deployments().getFirst();
        return deployment.provider() + " " + deployment.model();
    }

    @Test
    void aPatternAliasNeedsOneStarAtItsEnd() {
        for (String alias : List.of("*", "a*b", "a**")) {
            IllegalStateException e = assertThrows(
                    IllegalStateException.class,
                    () -> TestProxy.create("""
                    models:
                      - alias: "%s"
                        deployments:
                          - {provider: fake}
                    """.formatted(alias)).close());
            assertThat(
                    e.getMessage(), is("Model " + alias + ": a pattern alias has one '*', at its end, after a prefix"));
        }
    }

    @Test
    void productionRefusesTheFakeStandIn() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> TestProxy.create(
                                null,
                                Map.of(
                                        "llm-proxy.keyless-models",
                                        "fake",
                                        "environment",
                                        "production",
                                        "llm-proxy.internal-api-key",
                                        "a-real-production-key"),
                                Map.of())
                        .close());

        assertThat(e.getMessage(), startsWith("LLM_PROXY__KEYLESS_MODELS=fake is for the dev stack"));
        IllegalStateException typo = assertThrows(
                IllegalStateException.class,
                () -> TestProxy.create(null, Map.of("llm-proxy.keyless-models", "sometimes"), Map.of())
                        .close());
        assertThat(typo.getMessage(), is("LLM_PROXY__KEYLESS_MODELS must be 'unavailable' or 'fake', not 'sometimes'"));
    }
}
