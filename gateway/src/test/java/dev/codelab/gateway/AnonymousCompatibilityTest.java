package dev.codelab.gateway;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.codelab.gateway.support.GatewayHarness;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.testing.WsClient;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/protocol.md, "Protocol 1" as the shipped IDE meets it: {@code GATEWAY__WS_DEFAULT_PROTOCOL=1} and
 * {@code GATEWAY__WS_AUTH_REQUIRED=false}.
 */
class AnonymousCompatibilityTest extends GatewayTestBase {

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws Exception {
        serve(server, Map.of("gateway.ws-auth-required", "false", "gateway.ws-default-protocol", "1"));
    }

    @Test
    void socketWithoutTokenActsAsTheOwnerOfASessionMadeOverRest() {
        gateway.agent.script((request, out) -> {
            out.event(map("type", "assistant_message", "token", "Hi ", "is_final", false, "agent_name", "ask"));
            out.event(json("""
                    {"type":"assistant_message","token":"there","is_final":true,"content":"Hi there",\
                    "agent_name":"ask"}"""));
            out.event(map("type", "done", "reason", "completed"));
        });
        String session = gateway.createSession("ide-owner");
        try (WsClient ws = gateway.connect("/api/v1/ws/" + session, b -> {})) {
            ws.send(map("type", "user_message", "content", "hello"));
            assertThat(Json.write(ws.next()), is(Json.write(json("""
                            {"type":"assistant_message","token":"Hi there","is_final":true,\
                            "content":"Hi there","agent_name":"ask","seq":2}"""))));
            ws.expectSilence(400);
        }
        assertThat(
                gateway.agent
                        .requests("POST", "/agent/message/stream")
                        .getLast()
                        .headers()
                        .get("x-user-id"),
                is("ide-owner"));
    }

    @Test
    void socketWithoutTokenForAnUnknownSessionIsRefused() {
        GatewayHarness.RawResponse answer = gateway.upgrade("/api/v1/ws/never-made-" + System.nanoTime(), Map.of());
        assertThat(answer.status(), is(404));
        assertThat(answer.json().get("error").asText(), is("not_found"));
    }

    @Test
    void socketWithABadTokenIsStillRefused() {
        String session = gateway.createSession("ide-owner-2");
        assertThat(
                gateway.upgrade(
                                "/api/v1/ws/" + session,
                                Map.of("Authorization", "Bearer " + gateway.tokens.expired("ide-owner-2")))
                        .status(),
                is(401));
        assertThat(
                gateway.upgrade(
                                "/api/v1/ws/" + session,
                                Map.of("Authorization", "Bearer " + gateway.tokens.access("stranger")))
                        .status(),
                is(404));
    }

    @Test
    void protocolTwoCanStillBeAskedFor() {
        String session = gateway.createSession("ide-owner-3");
        try (WsClient ws =
                gateway.connect("/api/v1/ws/" + session + "?protocol=2", gateway.tokens.access("ide-owner-3"))) {
            ws.send(map("type", "user_message", "content", "hello"));
            assertThat(Json.write(ws.next()), is(Json.write(map("type", "done", "reason", "completed", "seq", 1))));
        }
    }
}
