package dev.codelab.llmproxy;

import static dev.codelab.llmproxy.ModelsAndObservabilityTest.byId;
import static dev.codelab.llmproxy.testing.TestProxy.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built-in registry with one provider key ({@code ANTHROPIC_API_KEY}) set. */
class ProviderKeyDefaultModelTest extends LlmProxyServerTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, null, Map.of(), Map.of("ANTHROPIC_API_KEY", "sk-ant"));
    }

    @Test
    void aProviderKeyMakesItsModelsAvailableAndTheFirstOneDefault() {
        assertThat(json(proxy.get("/ready").body()).path("default_model").asText(), is("claude-sonnet-4"));
        assertThat(
                byId(json(proxy.get("/v1/llm/models").body()))
                        .get("claude-3-5-haiku")
                        .path("is_available")
                        .asBoolean(),
                is(true));
    }
}
