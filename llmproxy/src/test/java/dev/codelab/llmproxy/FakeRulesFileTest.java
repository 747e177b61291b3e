package dev.codelab.llmproxy;

import static dev.codelab.llmproxy.FakeModelTest.user;
import static dev.codelab.llmproxy.testing.TestProxy.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.AfterStop;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fake model with a rules file of its own ({@code fake-rules-file}) instead of the built-in rules. */
class FakeRulesFileTest extends LlmProxyServerTest {

    private static Path rules;

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws IOException {
        rules = Files.writeString(Files.createTempFile("fake-rules", ".yaml"), """
                tools:
                  - tool: search_in_code
                    pattern: 'find (\\S+)'
                    arguments: {query: "$1"}
                after_tool_result: {summary: "ok", completion_tool: attempt_completion, completion_arguments: {result: \
                "{summary}"}}
                echo: "custom: {request}"
                classification: {default_agent: ask, agents: []}
                """);
        serve(server, null, Map.of("llm-proxy.fake-rules-file", rules.toString()));
    }

    @AfterStop
    public static void deleteRules() {
        try {
            Files.delete(rules);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void rulesFileCanBeReplaced() {
        JsonNode call = json(proxy.post(
                                "/v1/chat/completions", "{\"model\":\"fake\",\"messages\":" + user("find TODO") + """
                                                ,"tools":[{"type":"function","function":{"name":"search_in_code"}}]}""")
                        .body())
                .path("choices")
                .path(0)
                .path("message")
                .path("tool_calls")
                .path(0);
        assertThat(call.path("function").path("name").asText(), is("search_in_code"));
        assertThat(call.path("function").path("arguments").asText(), is("{\"query\":\"TODO\"}"));
    }
}
