package dev.codelab.systemtests.reliability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.isIn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.testing.WsClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Whatever state a session is in, {@code cancel} ends it with {@code done} reason {@code cancelled} and the next
 * {@code user_message} starts a turn (protocol.md, "Cancelling"). The sequence that once left a session stuck for
 * good — fuzz seed 756807806910: a message collides with a running turn, then {@code cancel} and a new message are
 * sent back to back, again and again — is replayed explicitly.
 */
class CancelRecoveryTest {

    private static final String SLOW_QUESTION = "{\"type\":\"user_message\",\"content\":\"please explain in many words "
            + "what a monad is and why it matters\",\"agent_type\":\"ask\"}";
    private static final String CANCEL = """
            {"type":"cancel"}""";

    private static SystemStack stack;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        // Slow words: a turn surely still streams when the test acts on it.
        stack = SystemStack.start(Map.of("LLM_PROXY__FAKE_DELAY_MS", "60"));
        token = stack.login(SystemStack.ALICE);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void cancelAndNewMessagesSentBackToBackDuringATurnEndItAndTheLastMessageRuns() throws Exception {
        try (WsClient ide = stack.connect(stack.newSession(token), token)) {
            ide.send(SLOW_QUESTION);
            firstToken(ide);
            ide.send(message("collides"));
            assertThat(ide.transcript(), untilError(ide).path("error_code").asText(), is("TURN_IN_PROGRESS"));
            for (int i = 1; i <= 20; i++) {
                ide.send(CANCEL);
                ide.send(message("after cancel " + i));
            }
            List<JsonNode> frames = untilCompleted(ide);
            assertThat(ide.transcript(), errors(frames), is(empty()));
            assertThat(ide.transcript(), dones(frames).getFirst(), is("cancelled"));
            assertThat(ide.transcript(), lastFinalText(frames), containsString("after cancel 20"));
            assertThat(
                    ide.transcript(),
                    dones(frames).subList(0, dones(frames).size() - 1).stream()
                            .allMatch(reason -> reason.equals("cancelled")),
                    is(true));
        }
    }

    @Test
    void cancelDuringAStreamingTurnEndsItWithDoneCancelled() throws Exception {
        try (WsClient ide = stack.connect(stack.newSession(token), token)) {
            ide.send(SLOW_QUESTION);
            firstToken(ide);
            ide.send(CANCEL);
            List<JsonNode> rest = ide.untilDone();
            assertThat(ide.transcript(), rest.getLast().path("reason").asText(), is("cancelled"));
            assertThat(ide.transcript(), errors(rest), is(empty()));
            nextMessageCompletes(ide);
        }
    }

    @Test
    void cancelWhileAnApprovalIsAwaitedEndsTheWaitAndExpiresTheApproval() throws Exception {
        String session = stack.newSession(token);
        try (WsClient ide = stack.connect(session, token)) {
            ide.send(message("create a file notes.txt with hello", "coder"));
            List<JsonNode> turn = ide.untilDone();
            assertThat(ide.transcript(), turn.getLast().path("reason").asText(), is("awaiting_approval"));
            String callId = turn.stream()
                    .filter(f -> f.path("type").asText().equals("tool_call"))
                    .findFirst()
                    .orElseThrow()
                    .path("call_id")
                    .asText();

            ide.send(CANCEL);
            assertThat(
                    ide.transcript(), ide.untilDone().getLast().path("reason").asText(), is("cancelled"));
            JsonNode pending =
                    Json.read(stack.api("GET", "/api/v1/sessions/" + session + "/pending-approvals", token, null)
                            .body());
            assertThat(pending.toString(), pending.path("count").asInt(-1), is(0));
            ide.send("{\"type\":\"hitl_decision\",\"call_id\":\"" + callId + "\",\"decision\":\"approve\"}");
            assertThat(ide.transcript(), untilError(ide).path("error_code").asText(), is("INVALID_CALL_ID"));
            nextMessageCompletes(ide);
        }
    }

    @Test
    void cancelWhileAToolResultIsAwaitedAnswersTheCallAsNotExecuted() throws Exception {
        String session = stack.newSession(token);
        try (WsClient ide = stack.connect(session, token)) {
            ide.send(message("list files in src"));
            assertThat(
                    ide.transcript(), ide.untilDone().getLast().path("reason").asText(), is("awaiting_tool"));
            ide.send(CANCEL);
            assertThat(
                    ide.transcript(), ide.untilDone().getLast().path("reason").asText(), is("cancelled"));
            nextMessageCompletes(ide);
        }
        JsonNode history = Json.read(stack.api("GET", "/api/v1/sessions/" + session + "/history", token, null)
                .body());
        assertThat(
                history.toString(), history.toString(), containsString("Not executed: the user cancelled the turn."));
    }

    @Test
    void cancelWithNothingRunningIsAnsweredWithDoneCancelled() throws Exception {
        try (WsClient ide = stack.connect(stack.newSession(token), token)) {
            ide.send(CANCEL);
            assertThat(
                    ide.transcript(), ide.untilDone().getLast().path("reason").asText(), is("cancelled"));
            ide.send(message("hello"));
            ide.send(CANCEL);
            ide.send(CANCEL);
            ide.send(CANCEL);
            List<JsonNode> frames = ide.untilDone();
            assertThat(
                    ide.transcript(), frames.getLast().path("reason").asText(), isIn(Set.of("cancelled", "completed")));
            nextMessageCompletes(ide);
        }
    }

    @Test
    void cancelAfterTheAgentStreamDiedLetsTheConversationGoOn() throws Exception {
        try (WsClient ide = stack.connect(stack.newSession(token), token)) {
            ide.send(SLOW_QUESTION);
            firstToken(ide);
            stack.stopAgent();
            try {
                assertThat(
                        ide.transcript(),
                        ide.untilDone().getLast().path("reason").asText(),
                        is("error"));
            } finally {
                stack.restartAgent();
            }
            ide.send(CANCEL);
            assertThat(
                    ide.transcript(), ide.untilDone().getLast().path("reason").asText(), is("cancelled"));
            nextMessageCompletes(ide);
        }
    }

    private static String message(String text) {
        return message(text, "ask");
    }

    private static String message(String text, String agent) {
        return "{\"type\":\"user_message\",\"content\":" + Json.write(Json.MAPPER.valueToTree(text))
                + ",\"agent_type\":\"" + agent + "\"}";
    }

    private static void nextMessageCompletes(WsClient ide) throws Exception {
        ide.send(message("are you still there"));
        List<JsonNode> frames = ide.untilDone();
        assertThat(ide.transcript(), frames.getLast().path("reason").asText(), is("completed"));
        assertThat(ide.transcript(), lastFinalText(frames), containsString("are you still there"));
    }

    private static void firstToken(WsClient ide) throws InterruptedException {
        JsonNode frame;
        do {
            frame = ide.next();
        } while (!frame.path("type").asText().equals("assistant_message"));
    }

    private static JsonNode untilError(WsClient ide) throws InterruptedException {
        JsonNode frame;
        do {
            frame = ide.next();
        } while (!frame.path("type").asText().equals("error"));
        return frame;
    }

    /** Frames up to the first {@code done} with reason {@code completed}. */
    private static List<JsonNode> untilCompleted(WsClient ide) throws InterruptedException {
        List<JsonNode> frames = new ArrayList<>();
        while (true) {
            frames.addAll(ide.untilDone());
            if (frames.getLast().path("reason").asText().equals("completed")) {
                return frames;
            }
        }
    }

    private static List<JsonNode> errors(List<JsonNode> frames) {
        return frames.stream()
                .filter(f -> f.path("type").asText().equals("error"))
                .toList();
    }

    private static List<String> dones(List<JsonNode> frames) {
        return frames.stream()
                .filter(f -> f.path("type").asText().equals("done"))
                .map(f -> f.path("reason").asText())
                .toList();
    }

    private static String lastFinalText(List<JsonNode> frames) {
        return frames.stream()
                .filter(f -> f.path("is_final").asBoolean())
                .map(f -> f.path("content").asText())
                .reduce((first, second) -> second)
                .orElse("");
    }
}
