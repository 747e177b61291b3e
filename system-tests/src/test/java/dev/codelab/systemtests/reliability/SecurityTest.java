package dev.codelab.systemtests.reliability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.testing.WsClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Security cases through the real stack that the services' own suites do not cover end to end: one user
 * against another's session on every REST route and the socket, the internal services without (or with a
 * wrong) {@code X-Internal-Auth} on every route, and tool calls the agent must never hand to the IDE.
 */
class SecurityTest {

    private static SystemStack stack;
    private static String alice;
    private static String bob;

    @BeforeAll
    static void start() throws Exception {
        stack = SystemStack.start(Map.of());
        alice = stack.login(SystemStack.ALICE);
        bob = stack.login(SystemStack.BOB);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void noRestRouteLetsAnotherUserSeeOrChangeASession() throws Exception {
        String session = stack.newSession(alice);
        try (WsClient ide = stack.connect(session, alice)) {
            ide.send("""
                    {"type":"user_message","content":"hello from alice"}""");
            assertThat(ide.untilDone().getLast().path("reason").asText(), is("completed"));
        }
        String base = "/api/v1/sessions/" + session;
        List<String[]> calls = List.of(
                new String[] {"GET", base, null},
                new String[] {"PATCH", base, """
                        {"title":"bob was here"}"""},
                new String[] {"DELETE", base, null},
                new String[] {"GET", base + "/history", null},
                new String[] {"GET", base + "/pending-approvals", null},
                new String[] {"GET", base + "/agent", null});
        for (String[] call : calls) {
            HttpResponse<String> res = stack.api(call[0], call[1], bob, call[2]);
            String what = "bob: " + call[0] + " " + call[1] + " -> " + res.body();
            assertThat(what, res.statusCode(), is(404));
            FuzzTest.assertErrorBody(what, Json.read(res.body()));
            assertThat(what, res.body(), not(containsString("hello from alice")));
        }
        assertThat(stack.api("GET", "/api/v1/sessions", bob, null).body(), not(containsString(session)));

        JsonNode mine = Json.read(stack.api("GET", base, alice, null).body());
        assertThat("bob's PATCH changed nothing", mine.path("title").asText(), is("reliability"));
        JsonNode history =
                Json.read(stack.api("GET", base + "/history", alice, null).body());
        assertThat(
                "bob's DELETE removed nothing",
                history.path("messages").get(0).path("content").asText(),
                is("hello from alice"));
    }

    @Test
    void anotherUsersSessionCannotBeOpenedOnTheSocket() throws Exception {
        String session = stack.newSession(alice);
        for (URI uri : List.of(stack.socket(session), URI.create(stack.socket(session) + "?access_token=" + bob))) {
            try {
                WsClient.open(stack.http(), uri, bob).close();
                throw new AssertionError("bob's socket to alice's session was accepted: " + uri);
            } catch (CompletionException e) {
                assertThat(e.getCause(), instanceOf(WebSocketHandshakeException.class));
                HttpResponse<?> res = ((WebSocketHandshakeException) e.getCause()).getResponse();
                assertThat(uri.toString(), res.statusCode(), is(404));
            }
        }
        // And the refusal does not disturb the owner.
        try (WsClient ide = stack.connect(session, alice)) {
            ide.send("""
                    {"type":"user_message","content":"still mine"}""");
            assertThat(ide.untilDone().getLast().path("reason").asText(), is("completed"));
        }
    }

    @Test
    void internalServicesRefuseEveryRouteWithoutTheRightKey() throws Exception {
        String agent = "http://127.0.0.1:" + stack.agentPort();
        String llm = "http://127.0.0.1:" + stack.llmproxyPort();
        List<String[]> routes = List.of(
                new String[] {"GET", agent + "/agents"}, new String[] {"GET", agent + "/agents/s1/current"},
                new String[] {"POST", agent + "/sessions"}, new String[] {"GET", agent + "/sessions"},
                new String[] {"GET", agent + "/sessions/s1"}, new String[] {"PATCH", agent + "/sessions/s1"},
                new String[] {"DELETE", agent + "/sessions/s1"}, new String[] {"GET", agent + "/sessions/s1/history"},
                new String[] {"GET", agent + "/sessions/s1/pending-approvals"},
                        new String[] {"GET", agent + "/sessions/s1/agent"},
                new String[] {"POST", agent + "/agent/message/stream"}, new String[] {"GET", agent + "/ready"},
                new String[] {"GET", llm + "/v1/models"}, new String[] {"GET", llm + "/v1/llm/models"},
                new String[] {"POST", llm + "/v1/chat/completions"}, new String[] {"GET", llm + "/ready"});
        for (String[] route : routes) {
            for (String key : new String[] {
                null, "", "wrong-key", SystemStack.INTERNAL_KEY + "x", SystemStack.INTERNAL_KEY.substring(1)
            }) {
                HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(route[1]))
                        .timeout(Duration.ofSeconds(10))
                        .header("X-User-Id", "alice")
                        .header("Content-Type", "application/json")
                        .method(route[0], HttpRequest.BodyPublishers.ofString("""
                                                {"session_id":"s1","message":{"type":"cancel"},"messages":[]}"""));
                if (key != null) {
                    req.header("X-Internal-Auth", key);
                }
                HttpResponse<String> res = stack.http().send(req.build(), HttpResponse.BodyHandlers.ofString());
                String what = route[0] + " " + route[1] + " key " + key + " -> " + res.body();
                assertThat(what, res.statusCode(), is(401));
                JsonNode body = Json.read(res.body());
                assertThat(what, body.path("error").isMissingNode(), is(false));
            }
        }
        for (String base : List.of(agent, llm)) {
            assertThat(
                    base,
                    stack.http()
                            .send(
                                    HttpRequest.newBuilder(URI.create(base + "/health"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode(),
                    is(200));
        }
    }

    @Test
    void pathsOutsideTheWorkspaceNeverReachTheIde() throws Exception {
        String session = stack.newSession(alice);
        try (WsClient ide = stack.connect(session, alice)) {
            for (String path : List.of(
                    "../../etc/passwd",
                    "/etc/passwd",
                    "src/../../secret.txt",
                    "C:\\Windows\\win.ini",
                    "~/.ssh/id_rsa")) {
                ide.send("{\"type\":\"user_message\",\"content\":\"read " + path.replace("\\", "\\\\")
                        + "\",\"agent_type\":\"coder\"}");
                List<JsonNode> turn = ide.untilDone();
                for (JsonNode frame : turn) {
                    assertThat(path + ": " + turn, frame.path("type").asText(), not(is("tool_call")));
                }
                assertThat(path + ": " + turn, turn.getLast().path("reason").asText(), not(is("awaiting_tool")));
            }
            ide.send("""
                    {"type":"user_message","content":"read lib/main.dart","agent_type":"coder"}""");
            List<JsonNode> control = ide.untilDone();
            assertThat(
                    "control: " + control,
                    control.stream()
                            .anyMatch(f -> f.path("type").asText().equals("tool_call")
                                    && f.path("arguments").path("path").asText().equals("lib/main.dart")),
                    is(true));
        }
    }

    @Test
    void denyListedCommandsNeverReachTheIde() throws Exception {
        String session = stack.newSession(alice);
        try (WsClient ide = stack.connect(session, alice)) {
            for (String command : List.of(
                    "rm -rf /",
                    "sudo cat /etc/shadow",
                    "mkfs /dev/sda",
                    "dd if=/dev/zero of=/dev/sda",
                    "shutdown now",
                    ":(){ :|:& };:")) {
                ide.send("{\"type\":\"user_message\",\"content\":\"run " + command + "\",\"agent_type\":\"coder\"}");
                List<JsonNode> turn = ide.untilDone();
                for (JsonNode frame : turn) {
                    assertThat(command + ": " + turn, frame.path("type").asText(), not(is("tool_call")));
                }
            }
            // The control: an allowed command does reach the IDE, so the refusals above are not a broken fake model.
            ide.send("""
                    {"type":"user_message","content":"run git status","agent_type":"coder"}""");
            List<JsonNode> turn = ide.untilDone();
            assertThat(
                    turn.toString(),
                    turn.stream()
                            .anyMatch(f -> f.path("type").asText().equals("tool_call")
                                    && f.path("arguments")
                                            .path("command")
                                            .asText()
                                            .equals("git status")),
                    is(true));
        }
    }
}
