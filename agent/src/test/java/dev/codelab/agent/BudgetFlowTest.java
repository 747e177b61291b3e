package dev.codelab.agent;

import static dev.codelab.agent.AgentHarness.json;
import static dev.codelab.agent.AgentHarness.jsonLines;
import static dev.codelab.agent.AgentHarness.types;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.agent.FakeOpenAi.Reply;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Budgets as a turn sees them: the check before the first LLM call (refusal, one warning), the proxy's refusal
 * in the middle of a turn, and the identity each LLM call carries for metering.
 */
class BudgetFlowTest extends OneSessionTest {

    private static final String HELLO = """
            {"type":"user_message","content":"Create a widget"}\
            """;
    private static final String USED_UP =
            "Your Daily budget of $1.00 ($1.20 spent) is used up; it resets at 2026-12-04T00:00:00Z.";

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, Map.of());
    }

    @Test
    void aUserOverBudgetIsRefusedBeforeAnyLlmCall() {
        agent.llm.budgetStatus("""
                {"state":"exceeded","limit":"daily_usd","message":"%s","resets_at":"2026-12-04T00:00:00Z",\
                "first_warning":false}""".formatted(USED_UP));

        List<JsonNode> events = agent.turn("u1", "s1", HELLO);

        assertThat(events, is(jsonLines("""
                        {"type":"error","content":"%s","error_code":"BUDGET_EXCEEDED"}
                        {"type":"done","reason":"error"}
                        """.formatted(USED_UP))));
        assertThat(agent.llm.classifyRequests(), empty());
        assertThat(agent.llm.streamRequests(), empty());
        assertThat(agent.llm.budgetQueries(), contains("user=u1"));
        assertThat(agent.count("SELECT count(*) FROM turns WHERE state = 'error' AND ended_at IS NOT NULL"), is(1L));
    }

    @Test
    void theSoftLimitWarnsOnceBeforeTheTurnGoesOn() {
        String warning =
                "You have used 85% of your Monthly budget of $10.00 ($8.50 spent); it resets at 2027-01-01T00:00:00Z.";
        agent.llm.budgetStatus("""
                {"state":"warning","limit":"monthly_usd","message":"%s","resets_at":"2027-01-01T00:00:00Z",\
                "first_warning":true}""".formatted(warning));
        agent.llm.stream(Reply.text("Hi"));

        List<JsonNode> first = agent.turn("u1", "s1", HELLO);

        assertThat(first.getFirst(), is(json("""
                        {"type":"usage_warning","content":"%s","limit":"monthly_usd",\
                        "resets_at":"2027-01-01T00:00:00Z"}\
                        """.formatted(warning))));
        assertThat(
                types(first),
                contains(
                        "usage_warning", "agent_switched", "assistant_message", "assistant_message", "done:completed"));

        agent.llm.budgetStatus("""
                {"state":"warning","limit":"monthly_usd","message":"%s","resets_at":"2027-01-01T00:00:00Z",\
                "first_warning":false}""".formatted(warning));
        agent.llm.stream(Reply.text("Again"));
        assertThat(
                types(agent.turn("u1", "s1", HELLO)),
                contains("assistant_message", "assistant_message", "done:completed"));
    }

    @Test
    void theProxysRefusalInTheMiddleOfATurnEndsItWithoutRetrying() {
        agent.llm.stream(Reply.tool("", "call_h", "handoff", """
                        {"agent":"ask","reason":"a question"}\
                        """), Reply.budgetExceeded(USED_UP));

        List<JsonNode> events = agent.turn("u1", "s1", HELLO);

        assertThat(events.subList(events.size() - 2, events.size()), is(jsonLines("""
                        {"type":"error","content":"%s","error_code":"BUDGET_EXCEEDED"}
                        {"type":"done","reason":"error"}
                        """.formatted(USED_UP))));
        assertThat(agent.llm.streamRequests(), hasSize(2));
    }

    @Test
    void everyLlmCallNamesItsUserSessionAndAgent() {
        agent.llm.stream(Reply.text("Hi"));

        agent.turn("u1", "s1", HELLO);

        assertThat(agent.llm.callTags(), contains("u1 s1 orchestrator", "u1 s1 coder"));
    }

    @Test
    void twoTurnsOfOneSessionSendAByteIdenticalPromptPrefix() {
        agent.llm.stream(Reply.text("First answer"), Reply.text("Second answer"));

        agent.turn("u1", "s1", HELLO);
        agent.turn("u1", "s1", """
                {"type":"user_message","content":"Now add a test"}\
                """);

        String first = agent.llm.streamBodies().get(0);
        String second = agent.llm.streamBodies().get(1);
        String firstMessages = first.substring(0, first.indexOf("],\"tools\":"));
        String firstTools = first.substring(first.indexOf("],\"tools\":"));
        assertThat(second.startsWith(firstMessages + ","), is(true));
        assertThat(second.substring(second.indexOf("],\"tools\":")), is(firstTools));
    }
}
