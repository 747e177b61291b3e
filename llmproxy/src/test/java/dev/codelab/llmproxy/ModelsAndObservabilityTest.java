package dev.codelab.llmproxy;

import static dev.codelab.llmproxy.FakeStandInTest.SEED_CHAT;
import static dev.codelab.llmproxy.testing.TestProxy.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The model lists, readiness and metrics of the built-in registry without provider keys, and what a keyless seed
 * model answers. With a provider key: {@link ProviderKeyDefaultModelTest}; a configured default model without
 * one: {@link DefaultModelWithoutKeyTest}; readiness probes of a registry's providers: {@link ReadinessProbeTest}.
 */
class ModelsAndObservabilityTest extends LlmProxyServerTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, null, Map.of());
    }

    @Test
    void withoutProviderKeysOnlyTheFakeModelsAreAvailableAndDefault() {
        Map<String, JsonNode> models = byId(json(proxy.get("/v1/llm/models").body()));
        assertThat(models.get("gpt-4o"), is(json("""
                {"id":"gpt-4o","name":"gpt-4o","provider":"openai","context_length":128000,"is_available":false,\
                "supports_tools":true}""")));
        assertThat(models.get("qwen3").path("is_available").asBoolean(), is(false));
        assertThat(models.get("fake").path("is_available").asBoolean(), is(true));

        List<String> listed = json(proxy.get("/v1/models").body()).path("data").findValuesAsText("id");
        assertThat(listed, hasItem("fake"));
        assertThat(listed, not(hasItem("gpt-4o")));

        HttpResponse<String> ready = proxy.get("/ready");
        assertThat(ready.statusCode(), is(200));
        JsonNode body = json(ready.body());
        assertThat(body.path("default_model").asText(), is("fake"));
        assertThat(body.path("providers").path("openai").asText(), is("missing OPENAI_API_KEY"));
        assertThat(body.path("providers").path("ollama").asText(), is("missing OLLAMA_BASE_URL"));
        assertThat(body.path("providers").path("fake").asText(), is("ok"));
    }

    @Test
    void metricsCountRequestsTokensAndErrorsBehindTheKey() {
        proxy.post(
                "/v1/chat/completions",
                "{\"model\":\"fake-llm\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        proxy.post(
                "/v1/chat/completions", "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        HttpResponse<String> metrics = proxy.send(proxy.request("/observe/metrics")
                .header("Accept", "text/plain")
                .GET()
                .build());

        assertThat(metrics.statusCode(), is(200));
        assertThat(
                metrics.body(),
                containsString(
                        "llmproxy_requests_total{model=\"fake-llm\",scope=\"application\",stream=\"false\",} 1.0"));
        assertThat(metrics.body(), containsString("""
                                llmproxy_tokens_total{direction="out",model="fake-llm",provider="fake",\
                                scope="application",} 10.0"""));
        assertThat(metrics.body(), containsString("""
                                llmproxy_latency_seconds_bucket{model="fake-llm",provider="fake",scope="application",\
                                le="0.05",}"""));
        assertThat(metrics.body(), containsString("""
                                llmproxy_latency_seconds_count{model="fake-llm",provider="fake",scope="application",\
                                } 1.0"""));
        assertThat(
                metrics.body(),
                containsString("llmproxy_errors_total{model=\"-\",scope=\"application\",type=\"model_not_found\",}"));
        assertThat(
                proxy.send(HttpRequest.newBuilder(proxy.uri("/observe/metrics"))
                                .GET()
                                .build())
                        .statusCode(),
                is(401));
    }

    @Test
    void byDefaultAKeylessSeedModelAnswers503NamingTheMissingVariable() {
        for (String model : List.of("gpt-4", "gpt-3.5-turbo", "claude-3-opus-latest", "ollama/llama3.2")) {
            HttpResponse<String> response = proxy.post("/v1/chat/completions", SEED_CHAT.replace("gpt-4", model));

            assertThat(model, response.statusCode(), is(503));
            String variable = model.startsWith("gpt")
                    ? "OPENAI_API_KEY"
                    : model.startsWith("claude") ? "ANTHROPIC_API_KEY" : "OLLAMA_BASE_URL";
            assertThat(json(response.body()), is(json("""
                    {"error":{"message":"Model %s is unavailable: its provider needs the environment variable %s, \
                    which is not set for the LLM proxy","type":"provider_unavailable","param":null,\
                    "code":"provider_unavailable"}}""".formatted(model, variable))));
        }
    }

    static Map<String, JsonNode> byId(JsonNode list) {
        Map<String, JsonNode> byId = new HashMap<>();
        list.forEach(model -> byId.put(model.path("id").asText(), model));
        return byId;
    }
}
