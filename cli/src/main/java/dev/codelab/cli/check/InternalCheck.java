package dev.codelab.cli.check;

import static dev.codelab.cli.check.CheckFailed.require;
import static dev.codelab.cli.check.CheckHttp.json;
import static dev.codelab.cli.check.CheckHttp.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.sse.SseEventReader;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The seed's internal examples, against the agent runtime and llmproxy reached directly (they are never routed
 * publicly), as a trusted service calls them: the internal key and no user. A turn on a session id the caller
 * picks (created on first use), that session's current agent, and the seed's {@code gpt-4} stream — answered by
 * a provider, by the dev stack's fake stand-in that says so, or refused with 503 naming the missing key; never by
 * a fake model posing as a real one.
 */
public final class InternalCheck {

    /** The seed's example message of a trusted service's turn. */
    private static final String SEED_MESSAGE = "Создай новый виджет";

    private final CheckHttp agent;
    private final CheckHttp llmProxy;
    private final String internalKey;

    public InternalCheck(CheckHttp agent, CheckHttp llmProxy, String internalKey) {
        this.agent = agent;
        this.llmProxy = llmProxy;
        this.internalKey = internalKey;
    }

    public void run() throws Exception {
        agent.expect("agent runtime health", agent.get("/health", null), 200);
        String sessionId = "check-" + UUID.randomUUID();
        String turn = """
                {"session_id":"%s",\
                "message":{"type":"user_message","content":"%s"}}""".formatted(sessionId, SEED_MESSAGE);
        List<JsonNode> events = sseData(agent.expect(
                                "a trusted service's turn on a new session id",
                                agent.sendInternal("POST", "/agent/message/stream", internalKey, turn),
                                200)
                        .body())
                .stream()
                .map(InternalCheck::parse)
                .toList();
        require(
                !events.isEmpty() && events.getLast().path("type").asText().equals("done"),
                "the turn did not end with done: " + events);
        JsonNode current = json(agent.expect(
                "the session's current agent",
                agent.sendInternal("GET", "/agents/" + sessionId + "/current", internalKey, null),
                200));
        require(text(current, "session_id").equals(sessionId), "current agent of another session: " + current);
        text(current, "current_agent");
        agent.expect(
                "a trusted service deletes the session",
                agent.sendInternal("DELETE", "/sessions/" + sessionId, internalKey, null),
                204);

        llmProxy.expect("llm proxy health", llmProxy.get("/health", null), 200);
        llmProxy.step();
        var answer = llmProxy.sendInternal(
                "POST",
                "/v1/chat/completions",
                internalKey,
                "{\"model\":\"gpt-4\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],\"stream\":true}");
        if (answer.statusCode() == 503) {
            require(
                    Json.read(answer.body())
                            .path("error")
                            .path("message")
                            .asText()
                            .contains("OPENAI_API_KEY"),
                    "a keyless gpt-4 must name the missing variable: " + answer.body());
            return;
        }
        require(answer.statusCode() == 200, "gpt-4 stream: " + answer.statusCode() + " " + answer.body());
        List<String> data = sseData(answer.body());
        require(!data.isEmpty() && data.getLast().equals("[DONE]"), "gpt-4 stream did not end with [DONE]: " + data);
        JsonNode first = parse(data.getFirst());
        require(
                !first.path("model").asText().startsWith("fake")
                        || first.path("system_fingerprint").asText().contains("OPENAI_API_KEY is not set"),
                "the fake model answered gpt-4 without saying so: " + first);
    }

    private static List<String> sseData(String body) {
        List<String> data = new ArrayList<>();
        new SseEventReader(body.lines().iterator()).iterator().forEachRemaining(event -> data.add(event.data()));
        return data;
    }

    private static JsonNode parse(String json) {
        try {
            return Json.read(json);
        } catch (Exception e) {
            throw new CheckFailed("not JSON: " + json);
        }
    }
}
