package dev.codelab.gateway;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.gateway.support.FakeAgent;
import dev.codelab.gateway.support.GatewayHarness;
import dev.codelab.shared.http.Json;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every REST row of gateway.md: exact shapes and statuses, what reaches the agent, ownership, and the mapping
 * of upstream failures.
 */
class RestApiTest extends GatewayTestBase {

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws Exception {
        serve(server, Map.of());
    }

    @Test
    void createSessionAnswers201WithTheSessionAndForwardsIdentity() {
        HttpResponse<String> created = gateway.send(
                "POST",
                "/api/v1/sessions",
                gateway.tokens.access("rest-a"),
                """
                        {"title":"My task","system_prompt":"Be brief","session_id":"chosen"}""",
                Map.of("X-Request-Id", "rid-create-1"));
        assertThat(created.statusCode(), is(201));
        assertThat(created.headers().firstValue("X-Request-Id").orElse(""), is("rid-create-1"));
        JsonNode body = GatewayHarness.json(created);
        assertThat(fieldNames(body), is(List.of("session_id", "id", "created_at", "current_agent", "message_count")));
        assertThat(body.get("id").asText(), is(body.get("session_id").asText()));
        assertThat(body.get("current_agent").asText(), is("orchestrator"));
        assertThat(body.get("message_count").asInt(), is(0));
        FakeAgent.Recorded upstream =
                gateway.agent.requests("POST", "/sessions").getLast();
        assertThat(upstream.body(), is("""
                {"system_prompt":"Be brief","title":"My task"}"""));
        assertThat(upstream.headers().get("x-user-id"), is("rest-a"));
        assertThat(upstream.headers().get("x-internal-auth"), is(FakeAgent.KEY));
        assertThat(upstream.headers().get("x-request-id"), is("rid-create-1"));
    }

    @Test
    void createSessionWithoutBodyWorksAndBadBodiesAre400() {
        String token = gateway.tokens.access("rest-b");
        assertThat(gateway.send("POST", "/api/v1/sessions", token, null).statusCode(), is(201));
        assertThat(gateway.agent.requests("POST", "/sessions").getLast().body(), is("{}"));
        String wrongType = """
                {"title":5}""";
        for (String bad : new String[] {"{oops", "[1]", wrongType}) {
            HttpResponse<String> answer = gateway.send("POST", "/api/v1/sessions", token, bad);
            assertThat(bad, answer.statusCode(), is(400));
            assertThat(GatewayHarness.json(answer).get("error").asText(), is("invalid_request"));
        }
    }

    @Test
    void listSessionsShowsOnlyTheCallersAndPassesPaging() {
        String token = gateway.tokens.access("lister");
        String first = gateway.createSession("lister");
        String second = gateway.createSession("lister");
        gateway.createSession("someone-else");
        HttpResponse<String> list = gateway.get("/api/v1/sessions?limit=5&offset=0&user_id=someone-else", token);
        assertThat(list.statusCode(), is(200));
        JsonNode body = GatewayHarness.json(list);
        assertThat(fieldNames(body), is(List.of("sessions", "total", "limit", "offset")));
        assertThat(body.get("total").asInt(), is(2));
        assertThat(body.get("limit").asInt(), is(5));
        List<String> ids = new ArrayList<>();
        body.get("sessions").forEach(s -> ids.add(s.get("session_id").asText()));
        assertThat(ids.contains(first) && ids.contains(second), is(true));
        assertThat(
                fieldNames(body.get("sessions").get(0)),
                is(List.of(
                        "session_id", "id", "title", "created_at", "last_activity", "current_agent", "message_count")));
        assertThat(gateway.agent.requests("GET", "/sessions").getLast().query(), is("user_id=lister&limit=5&offset=0"));
        assertThat(gateway.get("/api/v1/sessions?limit=many", token).statusCode(), is(400));
    }

    @Test
    void sessionRoutesPassTheAgentsAnswersThrough() throws Exception {
        String token = gateway.tokens.access("owner");
        String id = gateway.createSession("owner");
        JsonNode session = GatewayHarness.json(gateway.get("/api/v1/sessions/" + id, token));
        assertThat(
                fieldNames(session),
                is(List.of(
                        "session_id", "id", "title", "created_at", "last_activity", "current_agent", "message_count")));

        HttpResponse<String> renamed = gateway.send("PATCH", "/api/v1/sessions/" + id, token, """
                {"title":"Renamed"}""");
        assertThat(renamed.statusCode(), is(200));
        assertThat(GatewayHarness.json(renamed).get("title").asText(), is("Renamed"));
        assertThat(gateway.send("PATCH", "/api/v1/sessions/" + id, token, """
                {"name":"x"}""").statusCode(), is(400));

        JsonNode history = GatewayHarness.json(gateway.get("/api/v1/sessions/" + id + "/history?limit=10", token));
        assertThat(fieldNames(history), is(List.of("session_id", "message_count", "messages")));
        assertThat(fieldNames(history.get("messages").get(0)), is(List.of("id", "role", "content", "timestamp")));
        assertThat(
                gateway.agent
                        .requests("GET", "/sessions/" + id + "/history")
                        .getLast()
                        .query(),
                is("limit=10"));

        JsonNode pending = GatewayHarness.json(gateway.get("/api/v1/sessions/" + id + "/pending-approvals", token));
        assertThat(
                Json.write(pending),
                is(Json.write(map(
                        "session_id",
                        id,
                        "pending_approvals",
                        List.of(map(
                                "call_id",
                                "call_1",
                                "tool_name",
                                "write_file",
                                "arguments",
                                Map.of("path", "a.txt", "content", "x"),
                                "reason",
                                "File modification requires user approval",
                                "created_at",
                                session.get("created_at").asText())),
                        "count",
                        1))));

        JsonNode agent = GatewayHarness.json(gateway.get("/api/v1/sessions/" + id + "/agent", token));
        assertThat(
                Json.write(agent),
                is(Json.write(map(
                        "session_id",
                        id,
                        "current_agent",
                        "orchestrator",
                        "switch_count",
                        0,
                        "switch_history",
                        List.of()))));

        HttpResponse<String> deleted = gateway.send("DELETE", "/api/v1/sessions/" + id, token, null);
        assertThat(deleted.statusCode(), is(204));
        assertThat(deleted.body(), is(""));
        assertThat(gateway.get("/api/v1/sessions/" + id, token).statusCode(), is(404));
    }

    @Test
    void anotherUsersSessionIsNotFoundOnEveryRoute() throws Exception {
        String id = gateway.createSession("alice");
        String bob = gateway.tokens.access("bob");
        String rename = """
                {"title":"mine"}""";
        for (String[] call : new String[][] {
            {"GET", ""},
            {"PATCH", ""},
            {"DELETE", ""},
            {"GET", "/history"},
            {"GET", "/pending-approvals"},
            {"GET", "/agent"}
        }) {
            String body = call[0].equals("PATCH") ? rename : null;
            HttpResponse<String> answer = gateway.send(call[0], "/api/v1/sessions/" + id + call[1], bob, body);
            assertThat(call[0] + call[1], answer.statusCode(), is(404));
            assertThat(GatewayHarness.json(answer), is(Json.read("""
                    {"error":"not_found","message":"Session not found"}""")));
        }
        assertThat(gateway.agent.hasSession(id), is(true));
    }

    @Test
    void agentsListsTheFiveAgents() {
        JsonNode agents = GatewayHarness.json(gateway.get("/api/v1/agents", gateway.tokens.access("rest-c")));
        assertThat(agents.get("agents").size(), is(5));
        assertThat(
                fieldNames(agents.get("agents").get(0)),
                is(List.of("type", "name", "emoji", "description", "allowed_tools")));
    }

    @Test
    void malformedSessionIdIs400() {
        HttpResponse<String> answer = gateway.get("/api/v1/sessions/bad*id", gateway.tokens.access("rest-d"));
        assertThat(answer.statusCode(), is(400));
        assertThat(
                GatewayHarness.json(answer).get("message").asText(),
                is("Malformed session id (allowed: [A-Za-z0-9._-]{1,128})"));
    }

    @Test
    void upstreamFailuresMapTo502503504AndNever401() throws Exception {
        String token = gateway.tokens.access("rest-e");
        gateway.agent.forceStatus(500);
        assertUpstream(gateway.get("/api/v1/sessions", token), 502, "bad_gateway");
        gateway.agent.forceStatus(401);
        assertUpstream(gateway.get("/api/v1/sessions", token), 502, "bad_gateway");
        gateway.agent.forceStatus(503);
        assertUpstream(gateway.get("/api/v1/sessions", token), 502, "bad_gateway");
        // The agent's own 503 (its database is down) stays a 503 with its body (found by the reliability suite).
        gateway.agent.forceStatus(
                503, Map.of("error", "service_unavailable", "message", "Database unavailable", "details", Map.of()));
        assertUpstream(gateway.get("/api/v1/sessions", token), 503, "service_unavailable");
        gateway.agent.forceStatus(0);
        gateway.agent.delay(3000);
        assertUpstream(gateway.get("/api/v1/sessions", token), 504, "gateway_timeout");
        gateway.agent.delay(0);
        gateway.agent.stop();
        try {
            assertUpstream(gateway.get("/api/v1/sessions", token), 503, "service_unavailable");
        } finally {
            gateway.agent.start();
        }
    }

    @Test
    void livenessNeedsNoToken() {
        HttpResponse<String> health = gateway.get("/health", null);
        assertThat(health.statusCode(), is(200));
        assertThat(health.body(), startsWith("{\"status\":\"healthy\",\"service\":\"gateway\",\"version\":\"0.1.0\""));
    }

    @Test
    void observabilityEndpointsAreServed() {
        assertThat(gateway.get("/observe/health", null).statusCode(), is(204));
        assertThat(gateway.get("/observe/metrics", null).statusCode(), is(200));
    }

    @Test
    void readinessReportsEachDependency() throws Exception {
        HttpResponse<String> healthy = gateway.get("/api/v1/health", null);
        assertThat(healthy.statusCode(), is(200));
        assertThat(healthy.body(), is("""
                {"status":"healthy","version":"0.1.0","services":\
                {"agent_runtime":"healthy","database":"connected","redis":"connected","auth_jwks":"ok"}}"""));

        gateway.agent.stop();
        try {
            HttpResponse<String> agentDown = gateway.get("/api/v1/health", null);
            assertThat(agentDown.statusCode(), is(503));
            assertThat(agentDown.body(), is("""
                    {"status":"degraded","version":"0.1.0","services":\
                    {"agent_runtime":"unavailable","database":"unavailable","redis":"connected","auth_jwks":"ok"}}"""));
        } finally {
            gateway.agent.start();
        }

        gateway.agent.databaseUp(false);
        try {
            HttpResponse<String> databaseDown = gateway.get("/api/v1/health", null);
            assertThat(databaseDown.statusCode(), is(200));
            assertThat(databaseDown.body(), is("""
                    {"status":"degraded","version":"0.1.0","services":\
                    {"agent_runtime":"healthy","database":"unavailable","redis":"connected","auth_jwks":"ok"}}"""));
            assertThat(
                    "the agent's readiness is asked with the internal key",
                    gateway.agent.requests("GET", "/ready").getLast().headers().get("x-internal-auth"),
                    is(FakeAgent.KEY));
        } finally {
            gateway.agent.databaseUp(true);
        }

        gateway.redis.close();
        try {
            HttpResponse<String> redisDown = gateway.get("/api/v1/health", null);
            assertThat(redisDown.statusCode(), is(200));
            assertThat(redisDown.body(), is("""
                    {"status":"degraded","version":"0.1.0","services":\
                    {"agent_runtime":"healthy","database":"connected","redis":"unavailable","auth_jwks":"ok"}}"""));
            assertThat(
                    "rate limits fail open",
                    gateway.get("/api/v1/agents", gateway.tokens.access("rest-f"))
                            .statusCode(),
                    is(200));
        } finally {
            gateway.redis.restart();
        }
    }

    private static void assertUpstream(HttpResponse<String> answer, int status, String error) {
        assertThat(answer.statusCode(), is(status));
        assertThat(GatewayHarness.json(answer).get("error").asText(), is(error));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
