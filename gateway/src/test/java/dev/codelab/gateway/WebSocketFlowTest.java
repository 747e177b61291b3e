package dev.codelab.gateway;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.gateway.support.FakeAgent;
import dev.codelab.gateway.support.GatewayHarness;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.testing.WsClient;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The IDE WebSocket of protocol.md against a scripted fake agent: exact frames with seq, what the gateway sends
 * upstream, and the failure paths.
 */
class WebSocketFlowTest extends GatewayTestBase {

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws Exception {
        serve(server, Map.of());
    }

    @Test
    void typicalTurnArrivesFrameByFrameWithSeq() throws Exception {
        gateway.agent.script((request, out) -> {
            out.event(json("""
                    {"type":"agent_switched","from_agent":"orchestrator","to_agent":"coder",\
                    "reason":"code change","confidence":"high"}"""));
            out.keepAlive();
            out.event(map("type", "assistant_message", "token", "Creating", "is_final", false, "agent_name", "coder"));
            out.event(json("""
                    {"type":"assistant_message","token":" the widget","is_final":true,\
                    "content":"Creating the widget","agent_name":"coder"}"""));
            out.event(json("""
                    {"type":"tool_call","call_id":"call_1","tool_name":"write_file",\
                    "arguments":{"path":"lib/w.dart"},"requires_approval":true,\
                    "reason":"File modification requires user approval","agent_name":"coder"}"""));
            out.event(map("type", "done", "reason", "awaiting_approval"));
        });
        String session = gateway.createSession("flow-user");
        try (WsClient ws = gateway.connect("/api/v1/ws/" + session, gateway.tokens.access("flow-user"))) {
            ws.send(map("type", "user_message", "content", "Create a widget"));
            List<JsonNode> frames = ws.untilDone();
            assertThat(
                    Json.write(frames), is(Json.write(List.of(json("""
                                    {"type":"agent_switched","from_agent":"orchestrator",\
                                    "to_agent":"coder","reason":"code change","confidence":"high",\
                                    "seq":1}"""), json("""
                                    {"type":"assistant_message","token":"Creating","is_final":false,\
                                    "agent_name":"coder","seq":2}"""), json("""
                                    {"type":"assistant_message","token":" the widget","is_final":true,\
                                    "content":"Creating the widget","agent_name":"coder","seq":3}"""), json("""
                                    {"type":"tool_call","call_id":"call_1","tool_name":"write_file",\
                                    "arguments":{"path":"lib/w.dart"},"requires_approval":true,\
                                    "reason":"File modification requires user approval",\
                                    "agent_name":"coder","seq":4}"""), json("""
                                    {"type":"done","reason":"awaiting_approval","seq":5}""")))));
        }
        FakeAgent.Recorded upstream =
                gateway.agent.requests("POST", "/agent/message/stream").getLast();
        assertThat(upstream.headers().get("x-user-id"), is("flow-user"));
        assertThat(upstream.headers().get("x-internal-auth"), is(FakeAgent.KEY));
        assertThat(upstream.headers().get("accept"), is("text/event-stream"));
        assertThat(upstream.headers().containsKey("x-request-id"), is(true));
        assertThat(
                Json.read(upstream.body()),
                is(Json.read(Json.write(map("session_id", session, "message", json("""
                                {"type":"user_message","content":"Create a widget"}"""))))));
    }

    @Test
    void tokenInSubprotocolIsAcceptedAndBearerSelected() {
        String session = gateway.createSession("sub-user");
        try (WsClient ws = gateway.connect(
                "/api/v1/ws/" + session, b -> b.subprotocols("bearer", gateway.tokens.access("sub-user")))) {
            assertThat(ws.subprotocol(), is("bearer"));
            ws.send(map("type", "user_message", "content", "hi"));
            assertThat(ws.next().toString(), is("""
                    {"type":"done","reason":"completed","seq":1}"""));
        }
    }

    @Test
    void tokenInQueryIsAccepted() {
        String session = gateway.createSession("query-user");
        try (WsClient ws = gateway.connect(
                "/api/v1/ws/" + session + "?access_token=" + gateway.tokens.access("query-user"), b -> {})) {
            ws.send(map("type", "user_message", "content", "hi"));
            assertThat(ws.next().path("type").asText(), is("done"));
        }
        assertThat(
                gateway.agent
                        .requests("POST", "/agent/message/stream")
                        .getLast()
                        .headers()
                        .get("x-user-id"),
                is("query-user"));
    }

    @Test
    void unknownSessionIdIsCreatedForTheCaller() {
        String session = "ide-chosen-" + System.nanoTime();
        try (WsClient ws = gateway.connect("/api/v1/ws/" + session, gateway.tokens.access("ide-user"))) {
            assertThat(gateway.agent.hasSession(session), is(true));
        }
        FakeAgent.Recorded create = gateway.agent.requests("POST", "/sessions").getLast();
        assertThat(create.headers().get("x-user-id"), is("ide-user"));
        assertThat(create.body(), is("""
                {"session_id":"%s"}""".formatted(session)));
        assertThat(
                gateway.get("/api/v1/sessions/" + session, gateway.tokens.access("ide-user"))
                        .statusCode(),
                is(200));
    }

    @Test
    void anotherUsersSessionIsNotFoundAtTheUpgrade() {
        String session = gateway.createSession("owner-a");
        GatewayHarness.RawResponse answer = gateway.upgrade(
                "/api/v1/ws/" + session, Map.of("Authorization", "Bearer " + gateway.tokens.access("intruder-b")));
        assertThat(answer.status(), is(404));
        assertThat(answer.json().get("error").asText(), is("not_found"));
        assertThat(answer.json().get("message").asText(), is("Session not found"));
    }

    @Test
    void upgradeWithoutTokenIsUnauthorized() {
        GatewayHarness.RawResponse answer = gateway.upgrade("/api/v1/ws/some-session", Map.of());
        assertThat(answer.status(), is(401));
        assertThat(answer.headers().get("www-authenticate"), is("Bearer error=\"invalid_token\""));
        assertThat(answer.json().get("error").asText(), is("invalid_token"));
        assertThat(answer.json().get("message").asText(), is("Missing bearer token"));
    }

    @Test
    void malformedSessionIdIsBadRequest() {
        GatewayHarness.RawResponse answer = gateway.upgrade(
                "/api/v1/ws/bad*id", Map.of("Authorization", "Bearer " + gateway.tokens.access("malformed-user")));
        assertThat(answer.status(), is(400));
        assertThat(answer.json().get("error").asText(), is("invalid_request"));
        assertThat(answer.json().get("message").asText(), is("Malformed session id (allowed: [A-Za-z0-9._-]{1,128})"));
    }

    @Test
    void badLastSeqOrProtocolIsBadRequest() {
        String token = gateway.tokens.access("query-params-user");
        String session = gateway.createSession("query-params-user");
        assertThat(
                gateway.upgrade("/api/v1/ws/" + session + "?last_seq=-1", Map.of("Authorization", "Bearer " + token))
                        .status(),
                is(400));
        assertThat(
                gateway.upgrade("/api/v1/ws/" + session + "?protocol=3", Map.of("Authorization", "Bearer " + token))
                        .status(),
                is(400));
    }

    @Test
    void aMessageSentRightAfterDoneIsTakenWhileTheOldStreamWindsDown() {
        // Found by the reliability soak: the turn counted as running until its stream closed, after its done.
        gateway.agent.script((request, out) -> {
            out.event(map("type", "done", "reason", "completed"));
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        String session = gateway.createSession("quick-user");
        try (WsClient ws = gateway.connect("/api/v1/ws/" + session, gateway.tokens.access("quick-user"))) {
            ws.send(map("type", "user_message", "content", "first"));
            assertThat(ws.next().path("type").asText(), is("done"));
            ws.send(map("type", "user_message", "content", "second"));
            assertThat(Json.write(ws.next()), is(Json.write(map("type", "done", "reason", "completed", "seq", 2))));
        }
    }

    @Test
    void newSocketForTheSameSessionClosesTheOldOneWith4409() {
        String session = gateway.createSession("twice-user");
        String token = gateway.tokens.access("twice-user");
        try (WsClient first = gateway.connect("/api/v1/ws/" + session, token);
                WsClient second = gateway.connect("/api/v1/ws/" + session, token)) {
            assertThat(first.awaitClose(), is(4409));
            second.send(map("type", "user_message", "content", "still here"));
            assertThat(second.next().path("type").asText(), is("done"));
        }
    }

    @Test
    void agentDownGivesErrorAndDoneAndTheSocketKeepsWorking() throws Exception {
        String session = gateway.createSession("down-user");
        try (WsClient ws = gateway.connect("/api/v1/ws/" + session, gateway.tokens.access("down-user"))) {
            gateway.agent.stop();
            try {
                ws.send(map("type", "user_message", "content", "anyone there?"));
                assertThat(Json.write(ws.next(2)), is(Json.write(List.of(json("""
                                        {"type":"error",\
                                        "content":"The agent runtime is unavailable, please retry",\
                                        "error_code":"AGENT_UNAVAILABLE","seq":1}"""), json("""
                                        {"type":"done","reason":"error","seq":2}""")))));
            } finally {
                gateway.agent.start();
            }
            ws.send(map("type", "user_message", "content", "back?"));
            assertThat(ws.next().toString(), is("""
                    {"type":"done","reason":"completed","seq":3}"""));
        }
    }

    @Test
    void cancelStopsTheRunningTurnAndClosesTheUpstreamRequest() throws Exception {
        CountDownLatch upstreamClosed = new CountDownLatch(1);
        gateway.agent.script((request, out) -> {
            if (request.path("message").path("type").asText().equals("cancel")) {
                out.event(map("type", "done", "reason", "cancelled"));
                return;
            }
            out.event(map("type", "assistant_message", "token", "Thinking", "is_final", false, "agent_name", "coder"));
            try {
                for (int i = 0; i < 400; i++) {
                    Thread.sleep(25);
                    out.keepAlive();
                }
            } catch (java.io.IOException e) {
                upstreamClosed.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        String session = gateway.createSession("cancel-user");
        try (WsClient ws = gateway.connect("/api/v1/ws/" + session, gateway.tokens.access("cancel-user"))) {
            ws.send(map("type", "user_message", "content", "long job"));
            assertThat(ws.next().path("token").asText(), is("Thinking"));
            ws.send(map("type", "user_message", "content", "another"));
            assertThat(Json.write(ws.next()), is(Json.write(json("""
                            {"type":"error",\
                            "content":"A turn is already running; send cancel to stop it",\
                            "error_code":"TURN_IN_PROGRESS","seq":2}"""))));
            ws.send(map("type", "cancel"));
            assertThat(Json.write(ws.next()), is(Json.write(map("type", "done", "reason", "cancelled", "seq", 3))));
            await(upstreamClosed);
            await(() -> gateway.agent.requests("POST", "/agent/message/stream").stream()
                    .anyMatch(r -> r.body().contains(session) && r.body().contains("\"cancel\"")));
            ws.expectSilence(300);
        }
    }

    @Test
    void clientThatDropsMidTurnGetsExactlyTheMissedFramesOnReconnect() throws Exception {
        CountDownLatch resume = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        gateway.agent.script((request, out) -> {
            out.event(map("type", "assistant_message", "token", "one", "is_final", false, "agent_name", "coder"));
            out.event(map("type", "assistant_message", "token", " two", "is_final", false, "agent_name", "coder"));
            try {
                resume.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.event(json("""
                    {"type":"assistant_message","token":" three","is_final":true,\
                    "content":"one two three","agent_name":"coder"}"""));
            out.event(json("""
                    {"type":"tool_call","call_id":"call_9","tool_name":"read_file",\
                    "arguments":{"path":"a.txt"},"requires_approval":false,"agent_name":"coder"}"""));
            out.event(map("type", "done", "reason", "awaiting_tool"));
            finished.countDown();
        });
        String session = gateway.createSession("replay-user");
        String token = gateway.tokens.access("replay-user");
        WsClient first = gateway.connect("/api/v1/ws/" + session, token);
        first.send(map("type", "user_message", "content", "count"));
        assertThat(first.next(2).getLast().get("seq").asInt(), is(2));
        first.abort();
        Thread.sleep(200);
        resume.countDown();
        await(finished);
        Thread.sleep(300);
        try (WsClient second = gateway.connect("/api/v1/ws/" + session + "?last_seq=2", token)) {
            assertThat(Json.write(second.next(3)), is(Json.write(List.of(json("""
                                    {"type":"assistant_message","token":" three","is_final":true,\
                                    "content":"one two three","agent_name":"coder","seq":3}"""), json("""
                                    {"type":"tool_call","call_id":"call_9","tool_name":"read_file",\
                                    "arguments":{"path":"a.txt"},"requires_approval":false,\
                                    "agent_name":"coder","seq":4}"""), json("""
                                    {"type":"done","reason":"awaiting_tool","seq":5}""")))));
            second.expectSilence(300);
            gateway.agent.script((request, out) -> out.event(map("type", "done", "reason", "completed")));
            second.send(map("type", "tool_result", "call_id", "call_9", "result", Map.of("content", "x")));
            assertThat(Json.write(second.next()), is(Json.write(map("type", "done", "reason", "completed", "seq", 6))));
        }
    }

    @Test
    void silentAgentStreamEndsTheTurnWithAgentError() {
        gateway.agent.script((request, out) -> {
            out.event(map("type", "assistant_message", "token", "Hm", "is_final", false, "agent_name", "ask"));
            try {
                Thread.sleep(6000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        String session = gateway.createSession("idle-user");
        try (WsClient ws = gateway.connect("/api/v1/ws/" + session, gateway.tokens.access("idle-user"))) {
            ws.send(map("type", "user_message", "content", "slow"));
            assertThat(ws.next().get("seq").asInt(), is(1));
            assertThat(Json.write(ws.next(2)), is(Json.write(List.of(json("""
                                    {"type":"error","content":"The agent runtime sent nothing for 2 s",\
                                    "error_code":"AGENT_ERROR","seq":2}"""), json("""
                                    {"type":"done","reason":"error","seq":3}""")))));
        }
    }

    @Test
    void agentFailureBeforeStreamingIsAgentError() {
        gateway.agent.forceStatus(500);
        String session = "created-before-" + System.nanoTime();
        gateway.agent.addSession(session, "failing-user", null);
        gateway.agent.forceStatus(0);
        try (WsClient ws = gateway.connect("/api/v1/ws/" + session, gateway.tokens.access("failing-user"))) {
            gateway.agent.forceStatus(500);
            ws.send(map("type", "user_message", "content", "x"));
            assertThat(Json.write(ws.next(2)), is(Json.write(List.of(json("""
                                    {"type":"error","content":"The agent runtime failed (500)",\
                                    "error_code":"AGENT_ERROR","seq":1}"""), json("""
                                    {"type":"done","reason":"error","seq":2}""")))));
        }
    }

    @Test
    void protocolOneAggregatesTextAndDropsDone() {
        gateway.agent.script((request, out) -> {
            out.event(json("""
                    {"type":"agent_switched","from_agent":"orchestrator","to_agent":"ask",\
                    "reason":"question","confidence":"high"}"""));
            out.event(map("type", "assistant_message", "token", "Hel", "is_final", false, "agent_name", "ask"));
            out.event(json("""
                    {"type":"assistant_message","token":"lo","is_final":true,"content":"Hello",\
                    "agent_name":"ask"}"""));
            out.event(json("""
                    {"type":"tool_call","call_id":"call_p1","tool_name":"read_file",\
                    "arguments":{"path":"x"},"requires_approval":false,"agent_name":"ask"}"""));
            out.event(map("type", "done", "reason", "awaiting_tool"));
        });
        String session = gateway.createSession("p1-user");
        try (WsClient ws = gateway.connect("/api/v1/ws/" + session + "?protocol=1", gateway.tokens.access("p1-user"))) {
            ws.send(map("type", "user_message", "content", "what?"));
            assertThat(Json.write(ws.next(3)), is(Json.write(List.of(json("""
                                    {"type":"agent_switched","from_agent":"orchestrator",\
                                    "to_agent":"ask","reason":"question","confidence":"high","seq":1}"""), json("""
                                    {"type":"assistant_message","token":"Hello","is_final":true,\
                                    "content":"Hello","agent_name":"ask","seq":3}"""), json("""
                                    {"type":"tool_call","call_id":"call_p1","tool_name":"read_file",\
                                    "arguments":{"path":"x"},"requires_approval":false,\
                                    "agent_name":"ask","seq":4}""")))));
            ws.expectSilence(500);
        }
    }

    @Test
    void eleventhSocketOfAUserIsRefusedWith429() {
        String token = gateway.tokens.access("many-sockets-user");
        List<WsClient> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                open.add(gateway.connect("/api/v1/ws/many-" + i + "-" + System.nanoTime(), token));
            }
            GatewayHarness.RawResponse answer = gateway.upgrade(
                    "/api/v1/ws/many-11-" + System.nanoTime(), Map.of("Authorization", "Bearer " + token));
            assertThat(answer.status(), is(429));
            assertThat(answer.headers().get("retry-after"), is("30"));
            assertThat(answer.body(), is("""
                    {"error":"rate_limit_exceeded","message":"Too many open WebSockets: at most 10 per user",\
                    "details":{"max_connections":10},"retry_after":30}"""));
            open.removeFirst().close();
            await(() -> gateway.upgrade(
                                    "/api/v1/ws/many-12-" + System.nanoTime(),
                                    Map.of("Authorization", "Bearer " + token))
                            .status()
                    == 101);
        } finally {
            open.forEach(WsClient::close);
        }
    }

    @Test
    void deletingTheSessionClosesItsSocketNormally() {
        String session = gateway.createSession("delete-user");
        String token = gateway.tokens.access("delete-user");
        try (WsClient ws = gateway.connect("/api/v1/ws/" + session, token)) {
            assertThat(
                    gateway.send("DELETE", "/api/v1/sessions/" + session, token, null)
                            .statusCode(),
                    is(204));
            assertThat(ws.awaitClose(), is(1000));
        }
    }

    @Test
    void approvalFlowForwardsAnswersOnlyForAwaitedCalls() throws Exception {
        gateway.agent.script((request, out) -> {
            switch (request.path("message").path("type").asText()) {
                case "user_message" -> {
                    out.event(json("""
                            {"type":"tool_call","call_id":"call_w","tool_name":"write_file",\
                            "arguments":{"path":"a.txt","content":"x"},"requires_approval":true,\
                            "reason":"File modification requires user approval","agent_name":"coder"}"""));
                    out.event(map("type", "done", "reason", "awaiting_approval"));
                }
                case "hitl_decision" -> {
                    out.event(json("""
                            {"type":"tool_call","call_id":"call_w","tool_name":"write_file",\
                            "arguments":{"path":"a.txt","content":"x"},"requires_approval":false,\
                            "agent_name":"coder"}"""));
                    out.event(map("type", "done", "reason", "awaiting_tool"));
                }
                default -> out.event(map("type", "done", "reason", "completed"));
            }
        });
        String session = gateway.createSession("approval-user");
        try (WsClient ws = gateway.connect("/api/v1/ws/" + session, gateway.tokens.access("approval-user"))) {
            ws.send(map("type", "user_message", "content", "write a.txt"));
            assertThat(ws.untilDone().getLast().get("reason").asText(), is("awaiting_approval"));
            ws.send(map("type", "hitl_decision", "call_id", "call_w", "decision", "approve"));
            assertThat(ws.untilDone().getLast().get("reason").asText(), is("awaiting_tool"));
            ws.send(map("type", "tool_result", "call_id", "call_w", "result", Map.of("success", true)));
            assertThat(Json.write(ws.next()), is(Json.write(map("type", "done", "reason", "completed", "seq", 5))));
            ws.send(map("type", "tool_result", "call_id", "call_w", "result", Map.of("success", true)));
            assertThat(ws.next().get("error_code").asText(), is("INVALID_CALL_ID"));
        }
        List<FakeAgent.Recorded> turns = gateway.agent.requests("POST", "/agent/message/stream").stream()
                .filter(r -> r.body().contains(session))
                .toList();
        assertThat(turns.size(), is(3));
        assertThat(Json.read(turns.get(1).body()).get("message"), is(Json.read("""
                {"type":"hitl_decision","call_id":"call_w","decision":"approve"}""")));
    }

    @Test
    void agentRefusalsBeforeStreamingBecomeErrorFrames() {
        String session = gateway.createSession("refused-user");
        try (WsClient ws = gateway.connect("/api/v1/ws/" + session, gateway.tokens.access("refused-user"))) {
            gateway.agent.forceStatus(409);
            ws.send(map("type", "user_message", "content", "x"));
            assertThat(Json.write(ws.next()), is(Json.write(json("""
                            {"type":"error",\
                            "content":"A turn is already running for this session; send cancel to stop it",\
                            "error_code":"TURN_IN_PROGRESS","seq":1}"""))));
            // Found by the reliability soak: the switch limit was reported as a running turn.
            gateway.agent.forceStatus(
                    409, map("error", "switch_limit_reached", "message", "Too many agent switches", "details", map()));
            ws.send(map("type", "user_message", "content", "x"));
            assertThat(Json.write(ws.next()), is(Json.write(json("""
                            {"type":"error","content":"Too many agent switches",\
                            "error_code":"INVALID_FIELD","seq":2}"""))));
            gateway.agent.forceStatus(404);
            ws.send(map("type", "user_message", "content", "x"));
            assertThat(Json.write(ws.next(2)), is(Json.write(List.of(json("""
                                    {"type":"error","content":"Session not found",\
                                    "error_code":"SESSION_NOT_FOUND","seq":3}"""), json("""
                                    {"type":"done","reason":"error","seq":4}""")))));
            gateway.agent.forceStatus(400);
            ws.send(map("type", "user_message", "content", "x"));
            assertThat(Json.write(ws.next()), is(Json.write(json("""
                            {"type":"error","content":"The agent runtime refused the message",\
                            "error_code":"INVALID_FIELD","seq":5}"""))));
        }
    }
}
