package dev.codelab.llmproxy;

import static dev.codelab.llmproxy.testing.TestProxy.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A registry with an OpenAI deployment on a fake provider and an Ollama one on a port nobody listens on. */
class ReadinessProbeTest extends ProviderServerTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        upstream = startUpstream();
        serve(server, """
                models:
                  - alias: gpt
                    deployments:
                      - {provider: openai, model: m, base_url: "%s"}
                  - alias: local
                    deployments:
                      - {provider: ollama, model: m, base_url: "http://127.0.0.1:%d"}
                """.formatted(upstream.baseUrl(), UpstreamErrorsTest.closedPort()), Map.of());
    }

    @Test
    void readinessProbesEachProvidersBaseUrl() {
        HttpResponse<String> ready = proxy.get("/ready");

        assertThat(ready.statusCode(), is(200));
        assertThat(
                json(ready.body()).path("providers"),
                is(json("{\"openai\":\"reachable\",\"ollama\":\"unreachable\"}")));
        assertThat(upstream.lastRequest().method(), is("GET"));
    }
}
