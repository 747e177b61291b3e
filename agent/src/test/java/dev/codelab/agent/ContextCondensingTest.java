package dev.codelab.agent;

import static dev.codelab.agent.AgentHarness.json;
import static dev.codelab.agent.AgentHarness.types;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.agent.FakeOpenAi.Reply;
import dev.codelab.shared.http.Json;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Long sessions against a model with a small window (docs/agent.md, "Long sessions"): each turn reads a big file, so
 * the prompt grows past the condensing threshold; the fake model reports as prompt tokens exactly the runtime's
 * estimate of what it received, so the budget's numbers can be checked against each request.
 */
class ContextCondensingTest extends OneSessionTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, Map.of("agent-runtime.model-info-refresh-seconds", "0"));
    }

    /** Window 6 000, longest answer 1 000: prompt limit 5 000, condensed past 4 500, the newest 1 500 kept. */
    static final int WINDOW = 6_000;

    static final int PROMPT_LIMIT = 5_000;
    static final int CONDENSE_AT = 4_500;
    static final String FIRST = "Refactor the parser. Standing rule: never touch the tests directory.";

    /** The runtime's estimate of a request's prompt: four characters a token plus four per message (and the tools). */
    static int estimate(JsonNode request) {
        int tokens = 4 + Json.write(request.path("tools")).length() / 4;
        for (JsonNode message : request.path("messages")) {
            tokens += 4 + Json.write(message).length() / 4;
        }
        return tokens;
    }

    private void smallWindow() {
        agent.llm.window(WINDOW, 1_000).reportPromptTokens(ContextCondensingTest::estimate);
    }

    /** One user turn: the model reads a file of {@code resultChars} characters, then answers. */
    private List<JsonNode> readingTurn(int i, String message, int resultChars) {
        agent.llm.stream(Reply.tool("", "call_" + i, "read_file", """
                        {"path":"src/f%s.txt"}\
                        """.formatted(i)), Reply.text("Read f" + i + "."));
        List<JsonNode> events = new ArrayList<>(agent.turn("u1", "s1", """
                        {"type":"user_message","content":%s}\
                        """.formatted(Json.write(message))));
        assertThat(types(events).getLast(), is("done:awaiting_tool"));
        events.addAll(agent.turn(
                "u1",
                "s1",
                "{\"type\":\"tool_result\",\"call_id\":\"call_" + i + "\",\"result\":"
                        + Json.write(
                                ("line " + i + " ").repeat(resultChars / 7 + 1).substring(0, resultChars)) + "}"));
        assertThat(types(events).getLast(), is("done:completed"));
        return events;
    }

    private static List<JsonNode> condensed(List<JsonNode> events) {
        return events.stream()
                .filter(e -> e.path("type").asText().equals("context_condensed"))
                .toList();
    }

    /** Every tool message follows the assistant call it answers. */
    private static void pairsIntact(JsonNode request) {
        JsonNode messages = request.path("messages");
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).path("role").asText().equals("tool")) {
                JsonNode call = messages.get(i - 1);
                assertThat(call.path("role").asText(), is("assistant"));
                assertThat(
                        call.path("tool_calls").get(0).path("id").asText(),
                        is(messages.get(i).path("tool_call_id").asText()));
            }
        }
    }

    @Test
    void aSessionDrivenPastTheThresholdIsCondensedOnceAtThatPointKeepingPairsAndTheRecentTurns() {
        smallWindow();
        agent.llm.summarise(
                Reply.content("## Goals\n- refactor the parser; never touch tests\n## Files\n- f1, f2 read"));
        List<JsonNode> events = new ArrayList<>();
        int turns = 0;
        while (condensed(events).isEmpty()) {
            turns++;
            events.addAll(readingTurn(turns, turns == 1 ? FIRST : "Now look at part " + turns, 1_600));
            assertThat("condensed by turn 8", turns < 8, is(true));
        }
        List<JsonNode> requests = agent.llm.streamRequests();
        JsonNode afterCondensing = requests.getLast();
        // every prompt before condensing was below the threshold; the one it replaced would have passed it
        for (JsonNode request : requests.subList(0, requests.size() - 1)) {
            assertThat(estimate(request), lessThanOrEqualTo(CONDENSE_AT));
        }
        JsonNode event = condensed(events).getFirst();
        assertThat(event.path("tokens_before").asInt(), greaterThan(CONDENSE_AT));
        assertThat(event, is(json("""
                        {"type":"context_condensed","trigger":"auto","method":"summary","tokens_before":%s,\
                        "tokens_after":%s,"messages_summarised":%s}\
                        """.formatted(
                        event.path("tokens_before").asInt(),
                        estimate(afterCondensing),
                        event.path("messages_summarised").asInt()))));
        assertThat(event.path("tokens_after").asInt(), lessThanOrEqualTo(CONDENSE_AT - 500));
        // the event comes before the step's text, in the stream of the tool result
        List<String> lastStream = types(events.subList(events.size() - 4, events.size()));
        assertThat(
                lastStream, contains("context_condensed", "assistant_message", "assistant_message", "done:completed"));

        JsonNode messages = afterCondensing.path("messages");
        assertThat(messages.get(0).path("role").asText(), is("system"));
        assertThat(messages.get(1).path("content").asText(), is(FIRST));
        assertThat(
                messages.get(2).path("content").asText(),
                startsWith("[Summary of the conversation after my first " + "message (messages 2-"));
        assertThat(messages.get(2).path("content").asText(), containsString("never touch tests"));
        assertThat(messages.get(messages.size() - 3).path("content").asText(), is("Now look at part " + turns));
        assertThat(messages.get(messages.size() - 1).path("tool_call_id").asText(), is("call_" + turns));
        requests.forEach(ContextCondensingTest::pairsIntact);

        JsonNode summaryRequest = agent.llm.summaryRequests().getFirst();
        assertThat(summaryRequest.path("stream").asBoolean(false), is(false));
        assertThat(summaryRequest.path("max_tokens").asInt(), is(600));
        assertThat(
                summaryRequest.path("messages").get(0).path("content").asText(),
                containsString("## Goals and standing instructions"));
        String transcript =
                summaryRequest.path("messages").get(1).path("content").asText();
        assertThat(transcript, startsWith("<conversation>\nASSISTANT (coder):\nCALLED read_file call_1: "));
        assertThat(transcript.contains(FIRST), is(false));

        // the history keeps every message; the summary records the range it replaces
        assertThat(agent.getJson("/sessions/s1/history", "u1").path("messages").size(), is(turns * 4));
        int summarised = event.path("messages_summarised").asInt();
        assertThat(
                agent.count("SELECT count(*) FROM context_summaries WHERE session_id = 's1' AND first_seq = 2 "
                        + "AND last_seq = " + (summarised + 1) + " AND messages_summarised = " + summarised
                        + " AND trigger = 'auto'"),
                is(1L));
        assertThat(agent.llm.summaryRequests().size(), is(1));

        // the next turn sends the same summary again and does not condense
        List<JsonNode> next = readingTurn(turns + 1, "And part " + (turns + 1), 200);
        assertThat(condensed(next).isEmpty(), is(true));
        assertThat(agent.llm.streamRequests().getLast().path("messages").get(2), is(messages.get(2)));
    }

    @Test
    void theProvidersCountCalibratesTheSessionsEstimate() {
        agent.llm.reportPromptTokens(request -> estimate(request) * 3 / 2);
        agent.llm.stream(Reply.text("Hi"));

        agent.turn("u1", "s1", """
                {"type":"user_message","content":"hello"}\
                """);

        int estimate = estimate(agent.llm.streamRequests().getFirst());
        assertThat(
                agent.count("SELECT round(token_ratio * 1000) FROM sessions WHERE id = 's1'"),
                is(Math.round((estimate * 3 / 2) * 1000.0 / estimate)));
    }

    @Test
    void aFailedSummaryFallsBackToTrimmingAndSaysSoWithoutFailingTheTurn() {
        smallWindow();
        agent.llm.summarise(Reply.status(500), Reply.status(500), Reply.status(500), Reply.status(500));
        List<JsonNode> events = new ArrayList<>();
        int turns = 0;
        while (condensed(events).isEmpty()) {
            turns++;
            events.addAll(readingTurn(turns, turns == 1 ? FIRST : "Now look at part " + turns, 1_600));
            assertThat("condensing tried by turn 8", turns < 8, is(true));
        }

        JsonNode event = condensed(events).getFirst();
        JsonNode trimmedRequest = agent.llm.streamRequests().getLast();
        assertThat(event, is(json("""
                        {"type":"context_condensed","trigger":"auto","method":"trimmed","tokens_before":%s,\
                        "tokens_after":%s,"messages_summarised":0,"content":"The summary could not be written \
                        (the LLM proxy answered HTTP 500); the oldest messages are left out of the prompt instead"}\
                        """.formatted(event.path("tokens_before").asInt(), estimate(trimmedRequest)))));
        assertThat(types(events).getLast(), is("done:completed"));
        assertThat(agent.llm.summaryRequests().size(), is(4));
        assertThat(estimate(trimmedRequest), lessThanOrEqualTo(PROMPT_LIMIT));
        assertThat(trimmedRequest.path("messages").get(1).path("content").asText(), is(FIRST));
        pairsIntact(trimmedRequest);
        assertThat(agent.count("SELECT count(*) FROM context_summaries"), is(0L));
    }

    @Test
    void condenseFromTheClientSummarisesNowAndTheNextPromptUsesIt() {
        smallWindow();
        readingTurn(1, FIRST, 6_000);
        readingTurn(2, "Second part", 1_600);
        agent.llm.summarise(Reply.content("The user wants the parser refactored."));

        List<JsonNode> events = agent.turn("u1", "s1", """
                {"type":"condense"}\
                """);

        assertThat(types(events), contains("context_condensed", "done:completed"));
        JsonNode event = events.getFirst();
        assertThat(event.path("trigger").asText(), is("manual"));
        assertThat(event.path("method").asText(), is("summary"));
        assertThat(event.path("messages_summarised").asInt(), is(2));
        assertThat(event.path("tokens_after").asInt(), greaterThan(0));
        assertThat(
                event.path("tokens_before").asInt(),
                greaterThan(event.path("tokens_after").asInt()));

        readingTurn(3, "Third part", 100);
        JsonNode messages = agent.llm.streamRequests().get(4).path("messages");
        assertThat(messages.get(1).path("content").asText(), is(FIRST));
        assertThat(
                messages.get(2).path("content").asText(),
                is("[Summary of the conversation after my first message "
                        + "(messages 2-3), condensed to fit the context window]\n\nThe user wants the parser "
                        + "refactored."));
        assertThat(messages.get(3).path("content").asText(), is("Read f1."));
        assertThat(messages.get(4).path("content").asText(), is("Second part"));
    }

    @Test
    void condenseWithNothingOldEnoughIsRefusedBeforeStreaming() {
        agent.llm.stream(Reply.text("Hi"));
        agent.turn("u1", "s1", """
                {"type":"user_message","content":"hello"}\
                """);

        var response = agent.send("POST", "/agent/message/stream", "u1", """
                        {"session_id":"s1","message":{"type":"condense"}}\
                        """);

        assertThat(response.statusCode(), is(400));
        assertThat(json(response.body()), is(json("""
                        {"error":"nothing_to_condense","message":"Nothing to condense:\
                         the conversation is short enough to be kept as it is","details":{}}\
                        """)));
    }
}
