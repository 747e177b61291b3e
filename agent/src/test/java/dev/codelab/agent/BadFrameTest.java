package dev.codelab.agent;

import static dev.codelab.agent.AgentHarness.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.AfterStop;
import io.helidon.webserver.testing.junit5.DirectClient;
import io.helidon.webserver.testing.junit5.RoutingTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Frames the stream endpoint refuses before it streams, in the documented error shape: the runtime's routes
 * with the production filters on Helidon's {@code @RoutingTest} (no socket), requests through its
 * {@link DirectClient}.
 */
@RoutingTest
class BadFrameTest {

    private static AgentHarness agent;
    private final DirectClient client;

    BadFrameTest(DirectClient client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        agent = AgentHarness.create(Map.of());
        agent.route(routing);
    }

    @AfterStop
    public static void closeAgent() {
        agent.close();
    }

    private ClientResponseTyped<String> post(String user, String path, String body) {
        return client.post(path)
                .header(HeaderNames.create("X-Internal-Auth"), AgentHarness.KEY)
                .header(HeaderNames.create("X-User-Id"), user)
                .submit(body, String.class);
    }

    private ClientResponseTyped<String> stream(String user, String session, String message) {
        return post(user, "/agent/message/stream", """
                {"session_id":"%s","message":%s}\
                """.formatted(session, message));
    }

    private void createSession(String user, String sessionId) {
        ClientResponseTyped<String> res = post(user, "/sessions", """
                {"session_id":"%s"}\
                """.formatted(sessionId));
        assertThat(res.entity(), res.status().code(), is(201));
    }

    private static void assertError(ClientResponseTyped<String> res, int status, String code) {
        String body = res.entity();
        assertThat(body, res.status().code(), is(status));
        assertThat(body, json(body).path("error").asText(), is(code));
    }

    @Test
    void badFramesAreRefusedBeforeStreamingAndNothingIsWritten() {
        createSession("u1", "s1");

        assertError(stream("u1", "s1", """
                {"type":"shout"}\
                """), 400, "invalid_type");
        assertThat(json(stream("u1", "s1", """
                        {"type":"shout"}\
                        """).entity()).path("message").asText(), is("Unknown message type: shout"));
        assertError(stream("u1", "s1", """
                {"content":"no type"}\
                """), 400, "invalid_type");
        assertError(stream("u1", "s1", "\"text\""), 400, "invalid_format");
        assertError(stream("u1", "s1", """
                {"type":"user_message","content":"  "}\
                """), 400, "invalid_field");
        assertError(stream("u1", "s1", """
                {"type":"user_message"}\
                """), 400, "missing_field");
        assertError(stream("u1", "s1", """
                {"type":"user_message","content":"a\\u0000b"}\
                """), 400, "invalid_field");
        assertError(stream("u1", "s1", """
                        {"type":"tool_result","call_id":"x","result":{"k\\u0000":1}}\
                        """), 400, "invalid_field");
        assertError(stream("u1", "s1", """
                {"type":"tool_result","result":1}\
                """), 400, "missing_field");
        assertError(stream("u1", "s1", """
                        {"type":"tool_result","call_id":"nope","result":1}\
                        """), 400, "invalid_call_id");
        assertError(stream("u1", "s1", """
                        {"type":"hitl_decision","call_id":"nope","decision":"approve"}\
                        """), 400, "invalid_call_id");
        assertError(stream("u1", "s1", """
                        {"type":"hitl_decision","call_id":"x","decision":"maybe"}\
                        """), 400, "invalid_field");
        assertError(stream("u1", "s1", """
                        {"type":"user_message","content":"hi","agent_type":"wizard"}\
                        """), 400, "invalid_field");
        assertError(stream("u1", "s1", """
                {"type":"switch_agent","agent_type":"wizard"}\
                """), 400, "invalid_field");
        assertError(stream("u1", "s1", """
                {"type":"switch_agent"}\
                """), 400, "missing_field");
        assertError(post("u1", "/agent/message/stream", """
                {"message":{"type":"cancel"}}\
                """), 400, "missing_field");
        assertError(post("u1", "/agent/message/stream", "not json"), 400, "invalid_format");
        assertError(stream("u1", "bad id!", """
                {"type":"user_message","content":"hi"}\
                """), 400, "invalid_field");

        assertThat(agent.count("SELECT count(*) FROM messages"), is(0L));
        assertThat(agent.count("SELECT count(*) FROM turns"), is(0L));
        assertThat(agent.count("SELECT count(*) FROM agent_switches"), is(0L));
        assertThat(
                agent.llm.streamRequests().size() + agent.llm.classifyRequests().size(), is(0));
    }
}
