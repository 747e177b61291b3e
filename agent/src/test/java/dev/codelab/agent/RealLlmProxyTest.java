package dev.codelab.agent;

import static dev.codelab.agent.AgentHarness.types;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.llmproxy.LlmProxyApp;
import dev.codelab.shared.config.ServiceConfig;
import dev.codelab.shared.server.ServiceServer;
import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.AfterStop;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole loop against the real llmproxy (its fake model), over real HTTP: routing, a tool call that needs
 * approval, the approval, the result, and the model's closing summary.
 */
class RealLlmProxyTest extends AgentServiceTest {

    private static LlmProxyApp proxy;
    private static WebServer proxyServer;

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Config config = ServiceConfig.load(
                "LLM_PROXY",
                Map.of(),
                Map.of(
                        "server.port",
                        "0",
                        "server.host",
                        "127.0.0.1",
                        "llm-proxy.internal-api-key",
                        AgentHarness.KEY,
                        "llm-proxy.fake-delay-ms",
                        "0"));
        proxy = LlmProxyApp.create(config, Map.of());
        proxyServer = ServiceServer.start(config.get("server"), "llmproxy", List.of(proxy));
        serve(server, AgentHarness.against("http://127.0.0.1:" + proxyServer.port(), Map.of()));
    }

    @AfterStop
    public static void stopProxy() {
        proxyServer.stop();
        proxy.close();
    }

    @Test
    void aFileIsWrittenAfterApprovalAndTheModelSumsUp() {
        agent.createSession("u1", "real-1");

        List<JsonNode> first = agent.turn("u1", "real-1", """
                        {"type":"user_message","content":"create a file hello.txt with hi"}\
                        """);
        assertThat(first.getFirst().path("type").asText(), is("agent_switched"));
        assertThat(first.getFirst().path("to_agent").asText(), is("coder"));
        JsonNode call = first.get(first.size() - 2);
        assertThat(call.path("type").asText(), is("tool_call"));
        assertThat(call.path("tool_name").asText(), is("write_file"));
        assertThat(call.path("arguments").path("path").asText(), is("hello.txt"));
        assertThat(call.path("arguments").path("content").asText(), is("hi"));
        assertThat(call.path("requires_approval").asBoolean(), is(true));
        assertThat(types(first).getLast(), is("done:awaiting_approval"));
        String callId = call.path("call_id").asText();

        List<JsonNode> approved = agent.turn("u1", "real-1", """
                        {"type":"hitl_decision","call_id":"%s","decision":"approve"}\
                        """.formatted(callId));
        assertThat(types(approved), is(List.of("tool_call", "done:awaiting_tool")));
        assertThat(approved.getFirst().path("requires_approval").asBoolean(), is(false));

        List<JsonNode> finished = agent.turn("u1", "real-1", """
                        {"type":"tool_result","call_id":"%s","result":{"success":true}}\
                        """.formatted(callId));
        assertThat(types(finished), hasItem("assistant_message"));
        assertThat(types(finished).getLast(), is("done:completed"));
        List<JsonNode> finals =
                finished.stream().filter(e -> e.path("is_final").asBoolean()).toList();
        assertThat(finals.size(), is(1));
        assertThat(finals.getFirst().path("content").asText(), startsWith("Done: write_file returned"));
    }

    @Test
    void questionsAreRoutedToTheAskAgentAndAnsweredInText() {
        agent.createSession("u1", "real-2");

        List<JsonNode> events = agent.turn("u1", "real-2", """
                        {"type":"user_message","content":"explain what is a monad"}\
                        """);

        assertThat(events.getFirst().path("to_agent").asText(), is("ask"));
        assertThat(types(events).getLast(), is("done:completed"));
        assertThat(types(events), hasItem("assistant_message"));
    }
}
