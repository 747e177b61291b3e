package dev.codelab.gateway;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.testing.WsClient;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bad-input table of docs/protocol.md ("Errors and close codes"): each bad frame gets its error frame, the socket
 * stays open and the next good frame is handled as usual.
 */
class BadInputTest extends GatewayTestBase {

    private static final int MAX_MESSAGE_BYTES = 64 * 1024;

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws Exception {
        serve(server, Map.of("gateway.ws-max-message-bytes", String.valueOf(MAX_MESSAGE_BYTES)));
    }

    @Test
    void everyBadFrameGetsItsErrorAndTheSocketStaysUsable() {
        // Each bad frame, then the error code and message it gets.
        String table = """
                not json
                    INVALID_FORMAT: Invalid JSON message: not valid JSON
                [1,2]
                    INVALID_FORMAT: Invalid JSON message: expected a JSON object
                "text"
                    INVALID_FORMAT: Invalid JSON message: expected a JSON object
                {"content":"x"}
                    INVALID_TYPE: Unknown message type: null
                {"type":7}
                    INVALID_TYPE: Unknown message type: 7
                {"type":"dance"}
                    INVALID_TYPE: Unknown message type: dance
                {"type":"user_message"}
                    MISSING_FIELD: Missing required field: content
                {"type":"user_message","content":"   "}
                    INVALID_FIELD: Field 'content' must be a non-blank string
                {"type":"user_message","content":5}
                    INVALID_FIELD: Field 'content' must be a non-blank string
                {"type":"user_message","content":"x","role":3}
                    INVALID_FIELD: Field 'role' must be a string
                {"type":"user_message","content":"x","agent_type":"wizard"}
                    INVALID_FIELD: Field 'agent_type' must be one of architect, ask, coder, debug, orchestrator
                {"type":"tool_result","result":{}}
                    MISSING_FIELD: Missing required field: call_id
                {"type":"tool_result","call_id":"c1"}
                    MISSING_FIELD: Missing required field: result
                {"type":"tool_result","call_id":"c1","result":1,"error":"no"}
                    INVALID_FIELD: Send either 'result' or 'error', not both
                {"type":"tool_result","call_id":"c1","error":{}}
                    INVALID_FIELD: Field 'error' must be a string
                {"type":"hitl_decision","call_id":"c1"}
                    MISSING_FIELD: Missing required field: decision
                {"type":"hitl_decision","call_id":"c1","decision":"maybe"}
                    INVALID_FIELD: Field 'decision' must be approve, edit or reject
                {"type":"hitl_decision","call_id":"c1","decision":"edit"}
                    MISSING_FIELD: Missing required field: modified_arguments
                {"type":"hitl_decision","call_id":"c1","decision":"edit","modified_arguments":[1]}
                    INVALID_FIELD: Field 'modified_arguments' must be an object
                {"type":"switch_agent"}
                    MISSING_FIELD: Missing required field: agent_type
                {"type":"switch_agent","agent_type":"boss"}
                    INVALID_FIELD: Field 'agent_type' must be one of architect, ask, coder, debug, orchestrator
                """;
        String session = gateway.createSession("bad-input-user");
        try (WsClient ws = gateway.connect("/api/v1/ws/" + session, gateway.tokens.access("bad-input-user"))) {
            int seq = 0;
            List<String> lines = table.lines().toList();
            for (int i = 0; i < lines.size(); i += 2) {
                String frame = lines.get(i);
                String[] expected = lines.get(i + 1).strip().split(": ", 2);
                ws.sendText(frame);
                assertThat(
                        frame,
                        Json.write(ws.next()),
                        is(Json.write(map(
                                "type", "error", "content", expected[1], "error_code", expected[0], "seq", ++seq))));
            }
            ws.send(map("type", "tool_result", "call_id", "never-asked", "result", Map.of("ok", true)));
            assertThat(
                    Json.write(ws.next()),
                    is(Json.write(map(
                            "type",
                            "error",
                            "content",
                            "No tool call never-asked is awaiting an answer",
                            "error_code",
                            "INVALID_CALL_ID",
                            "call_id",
                            "never-asked",
                            "seq",
                            ++seq))));
            ws.send(map("type", "hitl_decision", "call_id", "never-asked", "decision", "approve"));
            assertThat(ws.next().path("error_code").asText(), is("INVALID_CALL_ID"));
            seq++;
            ws.send(map("type", "user_message", "content", "still fine?"));
            assertThat(Json.write(ws.next()), is(Json.write(map("type", "done", "reason", "completed", "seq", ++seq))));
        }
        assertThat(
                gateway.agent.requests("POST", "/agent/message/stream").stream()
                        .filter(r -> r.body().contains(session))
                        .count(),
                is(1L));
    }

    @Test
    void binaryFrameClosesWith1003() {
        try (WsClient ws = gateway.connect(
                "/api/v1/ws/" + gateway.createSession("binary-user"), gateway.tokens.access("binary-user"))) {
            ws.sendBinary(new byte[] {1, 2, 3});
            assertThat(ws.awaitClose(), is(1003));
        }
    }

    /** A {@code user_message} whose content is {@code content}. */
    private static String userMessage(String content) {
        return """
                {"type":"user_message","content":"%s"}""".formatted(content);
    }

    @Test
    void messageOverTheLimitClosesWith1009EvenWhenFragmented() {
        try (WsClient ws =
                gateway.connect("/api/v1/ws/" + gateway.createSession("big-user"), gateway.tokens.access("big-user"))) {
            ws.sendText(userMessage("x".repeat(MAX_MESSAGE_BYTES)));
            assertThat(ws.awaitClose(), is(1009));
        }
        try (WsClient ws =
                gateway.connect("/api/v1/ws/" + gateway.createSession("big-user"), gateway.tokens.access("big-user"))) {
            ws.sendText(userMessage("y".repeat(MAX_MESSAGE_BYTES - 100)));
            assertThat(ws.next().path("type").asText(), is("done"));
        }
    }

    @Test
    void the101stFrameInAMinuteIsRateLimited() {
        String session = gateway.createSession("chatty-user");
        String nonsense = """
                {"type":"nonsense"}""";
        try (WsClient ws = gateway.connect("/api/v1/ws/" + session, gateway.tokens.access("chatty-user"))) {
            for (int i = 1; i <= 100; i++) {
                ws.sendText(nonsense);
                assertThat(ws.next().path("error_code").asText(), is("INVALID_TYPE"));
            }
            ws.sendText(nonsense);
            JsonNode limited = ws.next();
            assertThat(limited.get("error_code").asText(), is("RATE_LIMIT_EXCEEDED"));
            assertThat(limited.get("content").asText(), is("Too many messages: at most 100 per minute"));
            assertThat(limited.get("retry_after").asLong(), greaterThan(0L));
            assertThat(limited.get("retry_after").asLong(), lessThanOrEqualTo(60L));
            assertThat(limited.get("seq").asInt(), is(101));
            ws.send(map("type", "user_message", "content", "hello"));
            assertThat(ws.next().path("error_code").asText(), is("RATE_LIMIT_EXCEEDED"));
            assertThat(ws.isClosed(), is(false));
        }
    }
}
