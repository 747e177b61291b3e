package dev.codelab.llmproxy;

import static dev.codelab.llmproxy.AnthropicProviderTest.MESSAGE;
import static dev.codelab.llmproxy.AnthropicProviderTest.REQUEST;
import static dev.codelab.llmproxy.testing.TestProxy.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.fakellm.Reply;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The registry's {@code cache_breakpoints} of an Anthropic model: alias {@code claude-1} may mark one breakpoint,
 * {@code claude-0} none, both on the same fake provider. More than Anthropic allows: {@link AnthropicProviderTest}.
 */
class CacheBreakpointsTest extends ProviderServerTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        upstream = startUpstream();
        serve(server, """
                models:
                  - alias: claude-1
                    cache_breakpoints: 1
                    deployments:
                      - {provider: anthropic, model: claude-sonnet-4-20250514, base_url: "%1$s", api_key_env: \
                TEST_ANTHROPIC_KEY}
                  - alias: claude-0
                    cache_breakpoints: 0
                    deployments:
                      - {provider: anthropic, model: claude-sonnet-4-20250514, base_url: "%1$s", api_key_env: \
                TEST_ANTHROPIC_KEY}
                """.formatted(upstream.baseUrl()), Map.of(), Map.of("TEST_ANTHROPIC_KEY", "k"));
    }

    @Test
    void cacheBreakpointsFollowTheRegistryLimit() {
        upstream.then(Reply.json(200, MESSAGE)).then(Reply.json(200, MESSAGE));

        proxy.post("/v1/chat/completions", request("claude-1"));
        proxy.post("/v1/chat/completions", request("claude-0"));

        JsonNode one = upstream.requests().get(0).json();
        assertThat(one.path("system"), is(json("""
                                        [{"type":"text","text":"You are terse.",\
                                        "cache_control":{"type":"ephemeral"}}]""")));
        assertThat(one.toString().split("cache_control", -1).length - 1, is(1));
        JsonNode none = upstream.requests().get(1).json();
        assertThat(none.path("system").asText(), is("You are terse."));
        assertThat(none.toString(), not(containsString("cache_control")));
    }

    private static String request(String model) {
        return REQUEST.formatted("").replace("{\"model\":\"claude\",", "{\"model\":\"" + model + "\",");
    }
}
