package dev.codelab.llmproxy;

import static dev.codelab.llmproxy.testing.TestProxy.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built-in registry without provider keys, its default model configured as one that needs a key. */
class DefaultModelWithoutKeyTest extends LlmProxyServerTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, null, Map.of("llm-proxy.default-model", "gpt-4o"));
    }

    @Test
    void notReadyWhenTheConfiguredDefaultModelHasNoKey() {
        HttpResponse<String> ready = proxy.get("/ready");

        assertThat(ready.statusCode(), is(503));
        assertThat(json(ready.body()).path("status").asText(), is("not_ready"));
    }
}
