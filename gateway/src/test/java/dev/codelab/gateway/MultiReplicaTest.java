package dev.codelab.gateway;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.gateway.support.FakeAgent;
import dev.codelab.gateway.support.GatewayHarness;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.ratelimit.Redis;
import dev.codelab.shared.testing.WsClient;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/**
 * Two gateway replicas on one Redis in front of one agent (docs/gateway.md, "Several replicas"): whichever replica
 * runs the turn, the session's socket on any replica gets every frame live, in seq order, once; its frames reach
 * the turn; 4409, DELETE and cancel work across replicas; a replica that died mid-turn ends its turn for the client.
 */
class MultiReplicaTest extends GatewayTestBase {

    private static final String USER = "replica-user";
    private static GatewayHarness second;
    private static JedisPooled redis;

    /** No keep-alive during the class, so that what closes a replaced socket can only be what a test looks at. */
    @SetUpServer
    static void server(WebServerConfig.Builder server) throws Exception {
        serve(server, Map.of("gateway.ws-ping-interval-seconds", "3600", "gateway.ws-idle-timeout-seconds", "7200"));
    }

    @BeforeAll
    static void start() throws Exception {
        second = gateway.replica();
        redis = Redis.connect(gateway.redis.url());
    }

    @AfterAll
    static void stop() {
        redis.close();
        second.close();
    }

    @Test
    void aSocketReconnectingToTheOtherReplicaGetsTheRestOfTheTurnLiveInOrderOnce() {
        Steps steps = scriptedTurn();
        String session = gateway.createSession(USER);
        List<JsonNode> seen =
                startOnTheFirstReplicaThenDrop(steps, session, token("one"), token("two"), token("three"));

        try (WsClient onB = connect(second, session, 2L)) {
            assertThat(onB.next().toString(), is(withSeq(token("three"), 3)));
            steps.emit(token("four"), token("five"));
            assertThat(
                    Json.write(onB.next(2)),
                    is("[" + withSeq(token("four"), 4) + "," + withSeq(token("five"), 5) + "]"));
            steps.emit(map("type", "done", "reason", "completed"));
            assertThat(onB.next().toString(), is("""
                    {"type":"done","reason":"completed","seq":6}"""));
            onB.expectSilence(300);
            assertThat(seqs(seen), contains(1L, 2L, 3L));
        }
    }

    @Test
    void anApprovalRequestedMidTurnArrivesLiveElsewhereAndItsAnswerReachesTheAgent() throws Exception {
        Steps steps = scriptedTurn();
        String session = gateway.createSession(USER);
        startOnTheFirstReplicaThenDrop(steps, session, json("""
                        {"type":"agent_switched","from_agent":"orchestrator","to_agent":"coder",\
                        "reason":"code","confidence":"high"}"""));

        try (WsClient onB = connect(second, session, 1L)) {
            steps.emit(json("""
                            {"type":"tool_call","call_id":"call_7","tool_name":"write_file",\
                            "arguments":{"path":"a.txt"},"requires_approval":true,"reason":"approval"}"""), json("""
                            {"type":"done","reason":"awaiting_approval"}"""));
            List<JsonNode> frames = onB.untilDone();
            assertThat(seqs(frames), contains(2L, 3L));
            assertThat(frames.getLast().path("reason").asText(), is("awaiting_approval"));

            onB.send(map("type", "hitl_decision", "call_id", "call_7", "decision", "approve"));
            steps.emit(map("type", "done", "reason", "awaiting_tool"));
            assertThat(onB.next().toString(), is("""
                    {"type":"done","reason":"awaiting_tool","seq":4}"""));
        }
        JsonNode answer = Json.read(gateway.agent
                .requests("POST", "/agent/message/stream")
                .getLast()
                .body());
        assertThat(answer.path("message").path("type").asText(), is("hitl_decision"));
        assertThat(answer.path("message").path("call_id").asText(), is("call_7"));
    }

    @Test
    void aMessageWhileTheOtherReplicaStreamsCollidesBeforeThatTurnsDone() {
        Steps steps = scriptedTurn();
        String session = gateway.createSession(USER);
        startOnTheFirstReplicaThenDrop(steps, session, token("a"));

        try (WsClient onB = connect(second, session, 1L)) {
            onB.send(map("type", "user_message", "content", "and another"));
            JsonNode error = onB.next();
            assertThat(error.path("error_code").asText(), is("TURN_IN_PROGRESS"));
            assertThat(error.path("seq").asLong(), is(2L));
            steps.emit(map("type", "done", "reason", "completed"));
            assertThat(onB.next().toString(), is("""
                    {"type":"done","reason":"completed","seq":3}"""));
        }
    }

    @Test
    void cancelOnOneReplicaStopsTheTurnOnTheOtherAndAMessageRightAfterItWaitsForItsEnd() throws Exception {
        Steps steps = scriptedTurn();
        String session = gateway.createSession(USER);
        startOnTheFirstReplicaThenDrop(steps, session, token("a"));

        try (WsClient onB = connect(second, session, 1L)) {
            onB.send(map("type", "cancel"));
            onB.send(map("type", "user_message", "content", "something else"));
            JsonNode cancelled = onB.next();
            assertThat(cancelled.toString(), is("""
                    {"type":"done","reason":"cancelled","seq":2}"""));
            steps.emit(token("else"), map("type", "done", "reason", "completed"));
            List<JsonNode> next = onB.untilDone();
            assertThat(
                    Json.write(next),
                    is("[" + withSeq(token("else"), 3) + ",{\"type\":\"done\",\"reason\":\"completed\",\"seq\":4}]"));
            onB.expectSilence(300);
        }
        List<String> messages = new ArrayList<>();
        for (FakeAgent.Recorded request : gateway.agent.requests("POST", "/agent/message/stream")) {
            JsonNode body = Json.read(request.body());
            if (body.path("session_id").asText().equals(session)) {
                messages.add(body.path("message").path("type").asText());
            }
        }
        assertThat(
                "the turn's replica told the agent once, then the new message ran",
                messages,
                contains("user_message", "cancel", "user_message"));
    }

    @Test
    void aNewerSocketOnTheOtherReplicaClosesTheOlderWith4409() {
        String session = gateway.createSession(USER);
        try (WsClient onA = connect(gateway, session, null);
                WsClient onB = connect(second, session, null)) {
            assertThat(onA.awaitClose(), is(4409));
            onB.send(map("type", "user_message", "content", "hi"));
            assertThat(onB.next().path("type").asText(), is("done"));
            assertThat(onB.isClosed(), is(false));
        }
    }

    @Test
    void deletingTheSessionThroughOneReplicaClosesItsSocketOnTheOther() {
        String session = gateway.createSession(USER);
        try (WsClient onA = connect(gateway, session, null)) {
            assertThat(
                    second.send("DELETE", "/api/v1/sessions/" + session, gateway.tokens.access(USER), null)
                            .statusCode(),
                    is(204));
            assertThat(onA.awaitClose(), is(1000));
        }
    }

    @Test
    void aSocketOpenedAfterTheTurnsReplicaDiedGetsErrorAndDoneAndTheNextMessageRuns() {
        String session = gateway.createSession(USER);
        redis.set("gw:ws:turn:" + session, "running 0123456789abcdef 0123456789abcdef.1");
        try (WsClient onB = connect(second, session, 0L)) {
            assertThat(onB.next().toString(), is("""
                    {"type":"error","content":"The turn was interrupted: the server running it stopped. \
                    Send your message again.","error_code":"AGENT_ERROR","seq":1}"""));
            assertThat(onB.next().toString(), is("""
                    {"type":"done","reason":"error","seq":2}"""));
            onB.send(map("type", "user_message", "content", "again"));
            assertThat(onB.next().toString(), is("""
                    {"type":"done","reason":"completed","seq":3}"""));
        }
    }

    @Test
    void anOpenSocketGetsErrorAndDoneFromTheHeartbeatWhenItsTurnsReplicaIsFoundDead() {
        String quiet = gateway.createSession(USER);
        String session = gateway.createSession(USER);
        try (WsClient other = connect(second, quiet, 0L);
                WsClient onB = connect(second, session, 0L)) {
            redis.set("gw:ws:turn:" + session, "running 0123456789abcdef 0123456789abcdef.1");
            assertThat(onB.next().toString(), is("""
                    {"type":"error","content":"The turn was interrupted: the server running it stopped. \
                    Send your message again.","error_code":"AGENT_ERROR","seq":1}"""));
            assertThat(onB.next().toString(), is("""
                    {"type":"done","reason":"error","seq":2}"""));
            assertThat(redis.exists("gw:ws:turn:" + session), is(false));
            assertThat(other.poll(1), is(nullValue()));
        }
    }

    @Test
    void aMessageWaitingForADeadReplicasTurnEndsThatTurnFirstThenRuns() {
        String session = gateway.createSession(USER);
        try (WsClient onB = connect(second, session, null)) {
            redis.set("gw:ws:turn:" + session, "cancel 0123456789abcdef 0123456789abcdef.1");
            onB.send(map("type", "user_message", "content", "again"));
            assertThat(onB.next().toString(), is("""
                    {"type":"done","reason":"cancelled","seq":1}"""));
            assertThat(onB.next().toString(), is("""
                    {"type":"done","reason":"completed","seq":2}"""));
        }
    }

    @Test
    void framesStoredWhileTheLiveFeedReconnectsArriveFromTheOutbox() {
        Steps steps = scriptedTurn();
        String session = gateway.createSession(USER);
        startOnTheFirstReplicaThenDrop(steps, session, token("one"));
        try (WsClient ws = connect(second, session, 1L)) {
            killTheLiveFeeds();
            steps.emit(token("two"), map("type", "done", "reason", "completed"));
            assertThat(
                    Json.write(ws.untilDone()),
                    is("[" + withSeq(token("two"), 2) + ",{\"type\":\"done\",\"reason\":\"completed\",\"seq\":3}]"));
        }
    }

    @Test
    void aFrameStoredButNeverPublishedWhileTheFeedWasAwayIsSentFromTheOutboxWhenItReconnects() {
        String session = gateway.createSession(USER);
        try (WsClient ws = connect(second, session, null)) {
            ws.send(map("type", "user_message", "content", "first"));
            long seq = ws.next().path("seq").asLong() + 1;
            // As another replica stores a frame whose publication this replica's feed missed.
            redis.set("gw:ws:seq:" + session, String.valueOf(seq));
            redis.xadd(
                    "gw:ws:outbox:" + session,
                    new StreamEntryID(seq, 0),
                    Map.of("f", Json.write(token("stored elsewhere"))));
            killTheLiveFeeds();
            assertThat(Json.write(ws.next()), is(withSeq(token("stored elsewhere"), seq)));
        }
    }

    @Test
    void aSocketReplacedWhileTheFeedWasAwayIsClosedWith4409WhenItReconnects() {
        String session = gateway.createSession(USER);
        try (WsClient ws = connect(second, session, null)) {
            ws.send(map("type", "user_message", "content", "first"));
            ws.next();
            long epoch = Long.parseLong(redis.get("gw:ws:socket:" + session).split(" ")[1]);
            // As a newer socket on another replica records itself, its message to this replica missed.
            redis.set("gw:ws:socket:" + session, "0123456789abcdef " + (epoch + 1));
            killTheLiveFeeds();
            assertThat(ws.awaitClose(), is(4409));
        }
    }

    private static void killTheLiveFeeds() {
        try (Jedis admin = Redis.dedicated(gateway.redis.url())) {
            admin.clientKill(new ClientKillParams().type(ClientType.PUBSUB));
        }
    }

    /** The agent streams what the test hands it, one step at a time; a cancel ends the stream it cancels. */
    private static Steps scriptedTurn() {
        Steps steps = new Steps();
        gateway.agent.script((request, out) -> {
            if (request.path("message").path("type").asText().equals("cancel")) {
                steps.queue.add(map("type", "__end"));
                out.event(map("type", "done", "reason", "cancelled"));
                return;
            }
            while (true) {
                Map<String, Object> step = steps.take();
                if (step.get("type").equals("__end")) {
                    return;
                }
                out.event(step);
                if (step.get("type").equals("done")) {
                    return;
                }
            }
        });
        return steps;
    }

    /** A turn started through the first replica, whose socket drops once the given events have arrived. */
    @SafeVarargs
    private static List<JsonNode> startOnTheFirstReplicaThenDrop(
            Steps steps, String session, Map<String, Object>... events) {
        WsClient first = connect(gateway, session, null);
        first.send(map("type", "user_message", "content", "tell me"));
        steps.emit(events);
        List<JsonNode> seen = first.next(events.length);
        first.abort();
        return seen;
    }

    private static WsClient connect(GatewayHarness replica, String session, Long lastSeq) {
        return replica.connect(
                "/api/v1/ws/" + session + (lastSeq == null ? "" : "?last_seq=" + lastSeq), gateway.tokens.access(USER));
    }

    private static Map<String, Object> token(String text) {
        return map("type", "assistant_message", "token", text, "is_final", false, "agent_name", "ask");
    }

    private static String withSeq(Map<String, Object> frame, long seq) {
        Map<String, Object> numbered = new LinkedHashMap<>(frame);
        numbered.put("seq", seq);
        return Json.write(numbered);
    }

    private static List<Long> seqs(List<JsonNode> frames) {
        return frames.stream().map(frame -> frame.path("seq").asLong()).toList();
    }

    /** Events the test releases to the scripted agent stream. */
    private static final class Steps {
        final BlockingQueue<Map<String, Object>> queue = new LinkedBlockingQueue<>();

        @SafeVarargs
        final void emit(Map<String, Object>... events) {
            queue.addAll(List.of(events));
        }

        Map<String, Object> take() {
            try {
                Map<String, Object> step = queue.poll(20, TimeUnit.SECONDS);
                assertThat("the test released no further event", step == null, is(false));
                return step;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
