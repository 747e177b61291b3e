package dev.codelab.llmproxy.usage;

import static dev.codelab.llmproxy.testing.TestProxy.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.codelab.llmproxy.LlmProxyServerTest;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A proxy without a database ({@code db-url} unset): metering is off. */
class MeteringOffTest extends LlmProxyServerTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, null, Map.of());
    }

    @Test
    void withoutADatabaseMeteringIsOffAndSaysSo() {
        HttpResponse<String> answer = proxy.get("/v1/usage?user=alice");

        assertThat(answer.statusCode(), is(503));
        assertThat(json(answer.body()).path("error").path("code").asText(), is("metering_disabled"));
    }
}
