package dev.codelab.llmproxy;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.llmproxy.testing.FakeUpstream;
import dev.codelab.llmproxy.testing.TestProxy;
import org.junit.jupiter.api.Test;

import static dev.codelab.llmproxy.testing.TestProxy.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

/** The model lists, readiness and metrics of the built-in registry. */
class ModelsAndObservabilityTest {

    @Test
    void withoutProviderKeysOnlyTheFakeModelsAreAvailableAndDefault() {
        try (TestProxy proxy = TestProxy.start(null)) {
            Map<String, JsonNode> models = byId(json(proxy.get("/v1/llm/models").body()));
            assertThat(models.get("gpt-4o"), is(json("""
                    {"id":"gpt-4o","name":"gpt-4o","provider":"openai","context_length":128000,"is_available":false,"supports_tools":true}""")));
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
    }

    @Test
    void aProviderKeyMakesItsModelsAvailableAndTheFirstOneDefault() {
        try (TestProxy proxy = TestProxy.start(null, Map.of(), Map.of("ANTHROPIC_API_KEY", "sk-ant"))) {
            assertThat(json(proxy.get("/ready").body()).path("default_model").asText(), is("claude-sonnet-4"));
            assertThat(byId(json(proxy.get("/v1/llm/models").body())).get("claude-3-5-haiku").path("is_available").asBoolean(), is(true));
        }
    }

    @Test
    void readinessProbesEachProvidersBaseUrl() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (FakeUpstream upstream = FakeUpstream.start();
             TestProxy proxy = TestProxy.start("""
                     models:
                       - alias: gpt
                         deployments:
                           - {provider: openai, model: m, base_url: "%s"}
                       - alias: local
                         deployments:
                           - {provider: ollama, model: m, base_url: "http://127.0.0.1:%d"}
                     """.formatted(upstream.baseUrl(), closedPort))) {
            HttpResponse<String> ready = proxy.get("/ready");

            assertThat(ready.statusCode(), is(200));
            assertThat(json(ready.body()).path("providers"), is(json("{\"openai\":\"reachable\",\"ollama\":\"unreachable\"}")));
            assertThat(upstream.lastRequest().method(), is("GET"));
        }
    }

    @Test
    void notReadyWhenTheConfiguredDefaultModelHasNoKey() {
        try (TestProxy proxy = TestProxy.start(null, Map.of("llm-proxy.default-model", "gpt-4o"), Map.of())) {
            HttpResponse<String> ready = proxy.get("/ready");

            assertThat(ready.statusCode(), is(503));
            assertThat(json(ready.body()).path("status").asText(), is("not_ready"));
        }
    }

    @Test
    void metricsCountRequestsTokensAndErrorsBehindTheKey() {
        try (TestProxy proxy = TestProxy.start(null)) {
            proxy.post("/v1/chat/completions", "{\"model\":\"fake-llm\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            proxy.post("/v1/chat/completions", "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

            HttpResponse<String> metrics = proxy.send(proxy.request("/observe/metrics").header("Accept", "text/plain").GET().build());

            assertThat(metrics.statusCode(), is(200));
            assertThat(metrics.body(), containsString("llmproxy_requests_total{model=\"fake-llm\",scope=\"application\",stream=\"false\",} 1.0"));
            assertThat(metrics.body(), containsString("llmproxy_tokens_total{direction=\"out\",model=\"fake-llm\",provider=\"fake\",scope=\"application\",} 10.0"));
            assertThat(metrics.body(), containsString("llmproxy_latency_seconds_bucket{model=\"fake-llm\",provider=\"fake\",scope=\"application\",le=\"0.05\",}"));
            assertThat(metrics.body(), containsString("llmproxy_latency_seconds_count{model=\"fake-llm\",provider=\"fake\",scope=\"application\",} 1.0"));
            assertThat(metrics.body(), containsString("llmproxy_errors_total{model=\"-\",scope=\"application\",type=\"model_not_found\",}"));
            assertThat(proxy.send(HttpRequest.newBuilder(proxy.uri("/observe/metrics")).GET().build()).statusCode(), is(401));
        }
    }

    static Map<String, JsonNode> byId(JsonNode list) {
        Map<String, JsonNode> byId = new HashMap<>();
        list.forEach(model -> byId.put(model.path("id").asText(), model));
        return byId;
    }
}
