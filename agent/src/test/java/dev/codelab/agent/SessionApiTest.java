package dev.codelab.agent;

import static dev.codelab.agent.AgentHarness.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.agent.FakeOpenAi.Reply;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SessionApiTest extends AgentServiceTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, Map.of());
    }

    private static HttpResponse<String> post(String user, String path, String body) {
        return agent.send("POST", path, user, body);
    }

    static HttpResponse<String> stream(String user, String session, String message) {
        return post(user, "/agent/message/stream", """
                {"session_id":"%s","message":%s}\
                """.formatted(session, message));
    }

    static void assertError(HttpResponse<String> res, int status, String code) {
        assertThat(res.body(), res.statusCode(), is(status));
        assertThat(res.body(), json(res.body()).path("error").asText(), is(code));
    }

    @Test
    void createSessionAnswersTheGatewayShape() {
        HttpResponse<String> res = post("u1", "/sessions", """
                {"session_id":"ide-1","title":"Widgets"}\
                """);

        assertThat(res.statusCode(), is(201));
        JsonNode body = json(res.body());
        assertThat(
                names(body.fieldNames()), contains("session_id", "id", "created_at", "current_agent", "message_count"));
        assertThat(body.path("session_id").asText(), is("ide-1"));
        assertThat(body.path("id").asText(), is("ide-1"));
        assertThat(body.path("current_agent").asText(), is("orchestrator"));
        assertThat(body.path("message_count").asInt(), is(0));

        JsonNode generated = json(post("u1", "/sessions", null).body());
        assertThat(generated.path("session_id").asText().length(), is(36));
        assertError(post("u1", "/sessions", """
                {"session_id":"ide-1"}\
                """), 409, "session_exists");
        assertError(post("u1", "/sessions", """
                {"session_id":"bad id!"}\
                """), 400, "invalid_field");
        assertError(post("u1", "/sessions", "[1]"), 400, "invalid_format");
        // Found by the reliability fuzzing: PostgreSQL refuses U+0000, which was a 500 (a 502 at the gateway).
        assertError(post("u1", "/sessions", """
                {"title":"a\\u0000b"}\
                """), 400, "invalid_field");
    }

    @Test
    void aTrustedServiceReachesEverySessionWithoutUserId() {
        agent.createSession("u1", "mine");
        agent.llm.stream(Reply.text("Done"));
        agent.turn("u1", "mine", """
                {"type":"user_message","content":"Write it"}\
                """);

        for (String path : List.of(
                "/sessions/mine",
                "/sessions/mine/history",
                "/sessions/mine/pending-approvals",
                "/sessions/mine/agent",
                "/agents/mine/current")) {
            HttpResponse<String> res = agent.send("GET", path, null, null);
            assertThat(path + " " + res.body(), res.statusCode(), is(200));
            assertThat(json(res.body()).path("session_id").asText(), is("mine"));
        }
        assertThat(agent.getJson("/agents/mine/current", null), is(json("""
                        {"session_id":"mine","current_agent":"coder"}\
                        """)));
        assertThat(agent.getJson("/sessions?user_id=u1", null).path("total").asInt(), is(1));
        assertError(agent.send("GET", "/sessions", null, null), 400, "missing_field");
        assertError(agent.send("GET", "/sessions/missing", null, null), 404, "not_found");
        assertError(agent.send("GET", "/agents/missing/current", null, null), 404, "not_found");

        agent.llm.stream(Reply.text("Again"));
        List<JsonNode> events = agent.turn(null, "mine", """
                {"type":"user_message","content":"More"}\
                """);
        assertThat(events.getLast().path("reason").asText(), is("completed"));
        assertThat(agent.send("DELETE", "/sessions/mine", null, null).statusCode(), is(204));
        assertThat(agent.count("SELECT count(*) FROM sessions"), is(0L));
    }

    @Test
    void anUnknownSessionIsCreatedOnFirstUseForTheCaller() {
        agent.llm.stream(Reply.text("Creating"), Reply.text("Mine"));

        List<JsonNode> events = agent.turn(null, "session-123", """
                        {"type":"user_message","content":"Создай новый виджет"}\
                        """);
        agent.turn("u1", "ide-picked", """
                {"type":"user_message","content":"Write it"}\
                """);

        assertThat(events.getLast(), is(json("""
                {"type":"done","reason":"completed"}\
                """)));
        assertThat(
                agent.getJson("/agents/session-123/current", null)
                        .path("current_agent")
                        .asText(),
                is("coder"));
        assertThat(agent.count("SELECT count(*) FROM sessions WHERE id = 'session-123' AND user_id IS NULL"), is(1L));
        assertThat(agent.count("SELECT count(*) FROM sessions WHERE id = 'ide-picked' AND user_id = 'u1'"), is(1L));
        // A session created by a trusted service belongs to no user; a user's session stays that user's.
        assertError(agent.send("GET", "/sessions/session-123", "u1", null), 404, "not_found");
        assertError(stream("u1", "session-123", """
                {"type":"user_message","content":"hi"}\
                """), 404, "not_found");
        assertError(stream("u2", "ide-picked", """
                {"type":"user_message","content":"hi"}\
                """), 404, "not_found");
        assertThat(
                agent.getJson("/sessions/ide-picked", null)
                        .path("message_count")
                        .asInt(),
                is(2));
        assertError(post(null, "/sessions", """
                {"session_id":"session-123"}\
                """), 409, "session_exists");
        assertThat(post(null, "/sessions", """
                {"session_id":"svc-2"}\
                """).statusCode(), is(201));
    }

    @Test
    void aBlankUserIdIsRefusedRatherThanTakenForATrustedService() throws Exception {
        HttpResponse<String> res = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(agent.base() + "/agents/any/current"))
                                .header("X-Internal-Auth", AgentHarness.KEY)
                                .header("X-User-Id", " ")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertError(res, 400, "invalid_field");
    }

    @Test
    void sessionsAreListedGotRenamedAndDeletedPerUser() {
        post("u1", "/sessions", """
                {"session_id":"a"}\
                """);
        post("u1", "/sessions", """
                {"session_id":"b","title":"Second"}\
                """);
        post("u2", "/sessions", """
                {"session_id":"c"}\
                """);

        JsonNode list = agent.getJson("/sessions?user_id=u1&limit=1&offset=0", "u1");
        assertThat(list.path("total").asInt(), is(2));
        assertThat(list.path("limit").asInt(), is(1));
        assertThat(list.path("offset").asInt(), is(0));
        assertThat(list.path("sessions").size(), is(1));
        assertThat(
                names(list.path("sessions").get(0).fieldNames()),
                contains("session_id", "id", "title", "created_at", "last_activity", "current_agent", "message_count"));
        assertError(agent.send("GET", "/sessions?limit=0", "u1", null), 400, "invalid_field");
        assertError(agent.send("GET", "/sessions?user_id=u2", "u1", null), 400, "invalid_field");

        HttpResponse<String> renamed = agent.send("PATCH", "/sessions/a", "u1", """
                {"title":"Renamed"}\
                """);
        assertThat(renamed.statusCode(), is(200));
        assertThat(json(renamed.body()).path("title").asText(), is("Renamed"));
        assertThat(agent.getJson("/sessions/a", "u1").path("title").asText(), is("Renamed"));
        assertError(agent.send("PATCH", "/sessions/a", "u1", "{}"), 400, "missing_field");

        assertThat(agent.send("DELETE", "/sessions/a", "u1", null).statusCode(), is(204));
        assertError(agent.send("GET", "/sessions/a", "u1", null), 404, "not_found");
    }

    @Test
    void anotherUsersSessionIsNotFoundEverywhere() {
        agent.createSession("u1", "mine");
        for (String path : List.of(
                "/sessions/mine",
                "/sessions/mine/history",
                "/sessions/mine/pending-approvals",
                "/sessions/mine/agent",
                "/agents/mine/current")) {
            assertError(agent.send("GET", path, "u2", null), 404, "not_found");
        }
        assertError(agent.send("PATCH", "/sessions/mine", "u2", """
                {"title":"x"}\
                """), 404, "not_found");
        assertError(agent.send("DELETE", "/sessions/mine", "u2", null), 404, "not_found");
        assertError(stream("u2", "mine", """
                {"type":"user_message","content":"hi"}\
                """), 404, "not_found");
        assertThat(agent.count("SELECT count(*) FROM sessions"), is(1L));
    }

    @Test
    void deletingASessionRemovesItsMessagesAndApprovals() {
        agent.createSession("u1", "s1");
        agent.llm.stream(Reply.tool("", "call_w", "write_file", """
                {"path":"a.txt","content":"x"}\
                """));
        agent.turn("u1", "s1", """
                {"type":"user_message","content":"Write a"}\
                """);

        assertThat(agent.send("DELETE", "/sessions/s1", "u1", null).statusCode(), is(204));

        assertThat(agent.count("SELECT count(*) FROM messages"), is(0L));
        assertThat(agent.count("SELECT count(*) FROM pending_approvals"), is(0L));
        assertThat(agent.count("SELECT count(*) FROM turns"), is(0L));
    }

    @Test
    void historyPagesBackwardsOldestFirst() {
        agent.createSession("u1", "s1");
        agent.llm.stream(Reply.text("one"), Reply.text("two"));
        agent.turn("u1", "s1", """
                {"type":"user_message","content":"Write 1"}\
                """);
        agent.turn("u1", "s1", """
                {"type":"user_message","content":"Write 2"}\
                """);

        JsonNode all = agent.getJson("/sessions/s1/history", "u1");
        assertThat(all.path("message_count").asInt(), is(4));
        JsonNode first = all.path("messages").get(0);
        assertThat(names(first.fieldNames()), contains("id", "role", "content", "timestamp"));
        assertThat(all.path("messages").get(1).path("agent_name").asText(), is("coder"));

        String lastId = all.path("messages").get(3).path("id").asText();
        JsonNode page = agent.getJson("/sessions/s1/history?limit=2&before=" + lastId, "u1");
        assertThat(page.path("messages").size(), is(2));
        assertThat(page.path("messages").get(0).path("content").asText(), is("one"));
        assertThat(page.path("messages").get(1).path("content").asText(), is("Write 2"));
        assertError(agent.send("GET", "/sessions/s1/history?before=nope", "u1", null), 400, "invalid_field");
        assertThat(agent.getJson("/sessions/s1", "u1").path("title").asText(), is("Write 1"));
    }

    @Test
    void toolResultForACallNoLongerAwaitedIsRefused() {
        agent.createSession("u1", "s1");
        agent.llm.stream(Reply.tool("", "call_r", "read_file", """
                {"path":"a.txt"}\
                """), Reply.text("ok"));
        agent.turn("u1", "s1", """
                {"type":"user_message","content":"Write docs"}\
                """);
        agent.turn("u1", "s1", """
                {"type":"tool_result","call_id":"call_r","result":"A"}\
                """);
        long messages = agent.count("SELECT count(*) FROM messages");

        assertError(stream("u1", "s1", """
                        {"type":"tool_result","call_id":"call_r","result":"A"}\
                        """), 400, "invalid_call_id");
        assertThat(agent.count("SELECT count(*) FROM messages"), is(messages));
    }

    @Test
    void agentsListsTheFiveAgents() {
        JsonNode agents = agent.getJson("/agents", "u1").path("agents");

        assertThat(agents.size(), is(5));
        assertThat(agents.get(0), is(json("""
                                        {"type":"orchestrator","name":"Orchestrator Agent","emoji":"🎭",\
                                        "description":"Routes each new task to the right specialist; may read to\
                                         understand the task; never edits.","allowed_tools":["read_file",\
                                        "list_files","search_in_code","handoff"]}\
                                        """)));
        assertThat(agents.get(2).path("type").asText(), is("architect"));
    }

    @Test
    void everyPathButHealthAnswers401WithoutTheInternalKeyObserveEndpointsAndUnknownPathsIncluded() throws Exception {
        agent.createSession("u1", "s1");
        HttpClient http = HttpClient.newHttpClient();
        List<String> paths = List.of(
                "GET /sessions",
                "POST /sessions",
                "GET /sessions/s1",
                "PATCH /sessions/s1",
                "DELETE /sessions/s1",
                "GET /sessions/s1/history",
                "GET /sessions/s1/pending-approvals",
                "GET /sessions/s1/agent",
                "GET /agents",
                "GET /agents/s1/current",
                "POST /agent/message/stream",
                "GET /ready",
                "GET /observe",
                "GET /observe/health",
                "GET /observe/metrics",
                "GET /observe/info",
                "GET /observe/config",
                "GET /metrics",
                "GET /no/such/path",
                "OPTIONS /sessions",
                "GET /health/x");
        for (String path : paths) {
            String[] methodAndPath = path.split(" ");
            for (Optional<String> key : List.of(Optional.<String>empty(), Optional.of("wrong"), Optional.of(""))) {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(agent.base() + methodAndPath[1]))
                        .header("X-User-Id", "u1")
                        .method(methodAndPath[0], HttpRequest.BodyPublishers.ofString("""
                                {"session_id":"s1"}\
                                """));
                key.ifPresent(k -> request.header("X-Internal-Auth", k));
                HttpResponse<String> res = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                assertThat(path + " with key " + key, res.statusCode(), is(401));
                assertThat(path, json(res.body()), is(json("""
                                                {"error":"unauthorized","message":"Missing or invalid internal API\
                                                 key","details":{}}\
                                                """)));
            }
        }
        HttpResponse<String> health = http.send(
                HttpRequest.newBuilder(URI.create(agent.base() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode(), is(200));
        assertThat(json(health.body()).path("status").asText(), is("healthy"));
        assertThat(agent.getJson("/sessions/s1", "u1").path("session_id").asText(), is("s1"));
    }

    private static List<String> names(java.util.Iterator<String> fields) {
        List<String> list = new java.util.ArrayList<>();
        fields.forEachRemaining(list::add);
        return list;
    }
}
