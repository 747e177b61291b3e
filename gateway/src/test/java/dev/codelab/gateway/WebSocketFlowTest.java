package dev.codelab.gateway;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.gateway.support.FakeAgent;
import dev.codelab.gateway.support.GatewayHarness;
import dev.codelab.gateway.support.WsClient;
import dev.codelab.shared.http.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * The IDE WebSocket of protocol.md against a scripted fake agent: exact frames with seq, what the gateway sends
 * upstream, and the failure paths.
 */
class WebSocketFlowTest {

    private static GatewayHarness gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = GatewayHarness.start();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @BeforeEach
    void agentUp() throws Exception {
        gateway.agent.delay(0);
        gateway.agent.forceStatus(0);
    }

    @Test
    void typicalTurnArrivesFrameByFrameWithSeq() throws Exception {
        gateway.agent.script((request, out) -> {
            out.event(map("type", "agent_switched", "from_agent", "orchestrator", "to_agent", "coder",
                    "reason", "code change", "confidence", "high"));
            out.keepAlive();
            out.event(map("type", "assistant_message", "token", "Creating", "is_final", false, "agent_name", "coder"));
            out.event(map("type", "assistant_message", "token", " the widget", "is_final", true,
                    "content", "Creating the widget", "agent_name", "coder"));
            out.event(map("type", "tool_call", "call_id", "call_1", "tool_name", "write_file",
                    "arguments", Map.of("path", "lib/w.dart"), "requires_approval", true,
                    "reason", "File modification requires user approval", "agent_name", "coder"));
            out.event(map("type", "done", "reason", "awaiting_approval"));
        });
        String session = gateway.createSession("flow-user");
        try (WsClient ws = gateway.connect("/api/v1/ws/" + session, gateway.tokens.access("flow-user"))) {
            ws.send(map("type", "user_message", "content", "Create a widget"));
            List<JsonNode> frames = ws.untilDone();
            assertThat(Json.write(frames), is(Json.write(List.of(
                    map("type", "agent_switched", "from_agent", "orchestrator", "to_agent", "coder",
                            "reason", "code change", "confidence", "high", "seq", 1),
                    map("type", "assistant_message", "token", "Creating", "is_final", false, "agent_name", "coder", "seq", 2),
                    map("type", "assistant_message", "token", " the widget", "is_final", true,
                            "content", "Creating the widget", "agent_name", "coder", "seq", 3),
                    map("type", "tool_call", "call_id", "call_1", "tool_name", "write_file",
                            "arguments", Map.of("path", "lib/w.dart"), "requires_approval", true,
                            "reason", "File modification requires user approval", "agent_name", "coder", "seq", 4),
                    map("type", "done", "reason", "awaiting_approval", "seq", 5)))));
        }
        FakeAgent.Recorded upstream = gateway.agent.requests("POST", "/agent/message/stream").getLast();
        assertThat(upstream.headers().get("x-user-id"), is("flow-user"));
        assertThat(upstream.headers().get("x-internal-auth"), is(FakeAgent.KEY));
        assertThat(upstream.headers().get("accept"), is("text/event-stream"));
        assertThat(upstream.headers().containsKey("x-request-id"), is(true));
        assertThat(Json.read(upstream.body()), is(Json.read(Json.write(map("session_id", session,
                "message", map("type", "user_message", "content", "Create a widget"))))));
    }

    static Map<String, Object> map(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    static void await(CountDownLatch latch) throws InterruptedException {
        assertThat("waited too long", latch.await(10, TimeUnit.SECONDS), is(true));
    }
}
