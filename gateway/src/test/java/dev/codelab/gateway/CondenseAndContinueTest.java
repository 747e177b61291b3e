package dev.codelab.gateway;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.codelab.gateway.support.FakeAgent;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.testing.WsClient;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The long-session frames: {@code condense} and {@code continue} reach the agent; what comes back reaches the IDE. */
class CondenseAndContinueTest extends GatewayTestBase {

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws Exception {
        serve(server, Map.of());
    }

    @Test
    void condenseGoesToTheAgentAndItsContextCondensedFrameComesBack() throws Exception {
        gateway.agent.script((request, out) -> {
            out.event(json("""
                    {"type":"context_condensed","trigger":"manual","method":"summary",\
                    "tokens_before":90000,"tokens_after":21000,"messages_summarised":140}"""));
            out.event(map("type", "done", "reason", "completed"));
        });
        String session = gateway.createSession("condense-user");
        try (WsClient ws = gateway.connect("/api/v1/ws/" + session, gateway.tokens.access("condense-user"))) {
            ws.send(map("type", "condense"));
            assertThat(Json.write(ws.untilDone()), is(Json.write(List.of(json("""
                                    {"type":"context_condensed","trigger":"manual","method":"summary",\
                                    "tokens_before":90000,"tokens_after":21000,\
                                    "messages_summarised":140,"seq":1}"""), json("""
                                    {"type":"done","reason":"completed","seq":2}""")))));
        }
        FakeAgent.Recorded upstream =
                gateway.agent.requests("POST", "/agent/message/stream").getLast();
        assertThat(
                Json.read(upstream.body()),
                is(Json.read(Json.write(map("session_id", session, "message", map("type", "condense"))))));
    }

    @Test
    void aResumableFailureThenContinue() throws Exception {
        gateway.agent.script((request, out) -> {
            if (request.path("message").path("type").asText().equals("continue")) {
                out.event(json("""
                        {"type":"assistant_message","token":"rest","is_final":true,"content":"rest",\
                        "agent_name":"coder"}"""));
                out.event(map("type", "done", "reason", "completed"));
                return;
            }
            out.event(json("""
                    {"type":"assistant_message","token":"Hal","is_final":true,"content":"Hal",\
                    "agent_name":"coder"}"""));
            out.event(map("type", "error", "content", "The language model failed: boom", "error_code", "LLM_ERROR"));
            out.event(map("type", "done", "reason", "error", "resumable", true));
        });
        String session = gateway.createSession("continue-user");
        try (WsClient ws = gateway.connect("/api/v1/ws/" + session, gateway.tokens.access("continue-user"))) {
            ws.send(map("type", "user_message", "content", "explain"));
            assertThat(
                    Json.write(ws.untilDone().getLast()),
                    is(Json.write(map("type", "done", "reason", "error", "resumable", true, "seq", 3))));
            ws.send(map("type", "continue"));
            assertThat(Json.write(ws.untilDone()), is(Json.write(List.of(json("""
                                    {"type":"assistant_message","token":"rest","is_final":true,\
                                    "content":"rest","agent_name":"coder","seq":4}"""), json("""
                                    {"type":"done","reason":"completed","seq":5}""")))));
        }
        FakeAgent.Recorded upstream =
                gateway.agent.requests("POST", "/agent/message/stream").getLast();
        assertThat(Json.read(upstream.body()).path("message"), is(Json.read("""
                {"type":"continue"}""")));
    }

    @Test
    void theAgentsRefusalsOfCondenseAndContinueKeepTheirCodes() {
        String session = gateway.createSession("nothing-user");
        try (WsClient ws = gateway.connect("/api/v1/ws/" + session, gateway.tokens.access("nothing-user"))) {
            gateway.agent.forceStatus(400, json("""
                            {"error":"nothing_to_condense","message":"Nothing to condense: short",\
                            "details":{}}"""));
            ws.send(map("type", "condense"));
            assertThat(Json.write(ws.next()), is(Json.write(json("""
                            {"type":"error","content":"Nothing to condense: short",\
                            "error_code":"NOTHING_TO_CONDENSE","seq":1}"""))));
            gateway.agent.forceStatus(
                    400, map("error", "nothing_to_continue", "message", "Nothing to continue: fine", "details", map()));
            ws.send(map("type", "continue"));
            assertThat(Json.write(ws.next()), is(Json.write(json("""
                            {"type":"error","content":"Nothing to continue: fine",\
                            "error_code":"NOTHING_TO_CONTINUE","seq":2}"""))));
        }
    }
}
