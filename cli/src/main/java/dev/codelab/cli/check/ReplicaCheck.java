package dev.codelab.cli.check;

import static dev.codelab.cli.check.CheckFailed.require;
import static dev.codelab.cli.check.CheckHttp.json;
import static dev.codelab.cli.check.CheckHttp.text;
import static dev.codelab.cli.check.CheckSocket.find;
import static dev.codelab.cli.check.CheckSocket.isType;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The multi-replica part of {@code codelab check}: a session's socket moving between two gateway replicas A and B,
 * each reached directly by its own URL, so that every scenario knows which replica runs the turn and which one the
 * client is on. REST calls (sessions, history) go through the public entry point. Runs on fresh sessions of the
 * checking user; the fake model's plain answers (about twenty words, streamed word by word) are the running turns.
 */
public final class ReplicaCheck {

    /** The fake model answers with plain text, one word per token: long enough to move the socket mid-turn. */
    private static final String SLOW_MESSAGE = "{\"type\":\"user_message\",\"agent_type\":\"ask\","
            + "\"content\":\"please explain in many words what a monad is and why it matters\"}";

    private static final String QUICK_MESSAGE =
            "{\"type\":\"user_message\",\"agent_type\":\"ask\",\"content\":\"hello\"}";
    /** The fake model answers with a write_file call, which needs the user's approval. */
    private static final String APPROVAL_MESSAGE =
            "{\"type\":\"user_message\",\"content\":\"create a file hello.txt with hi\"}";

    private static final String TOO_SHORT = "; make the fake model slower (LLM_PROXY__FAKE_DELAY_MS)";
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
    private static final Duration EXIT_WAIT = Duration.ofSeconds(10);

    private final CheckHttp api;
    private final String access;
    private final CheckHttp replicaA;
    private final CheckHttp replicaB;

    /**
     * @param api      the public entry point, for REST
     * @param access   an access token with {@code api:write}
     * @param replicaA the replica that runs the turns
     * @param replicaB the replica the client moves to
     */
    public ReplicaCheck(CheckHttp api, String access, CheckHttp replicaA, CheckHttp replicaB) {
        this.api = api;
        this.access = access;
        this.replicaA = replicaA;
        this.replicaB = replicaB;
    }

    /**
     * Runs every scenario; with {@code agentPid}, kills that agent replica (the one serving turns) mid-turn; with
     * {@code gatewayPid} (replica A's process), finally kills replica A mid-turn, which stays dead.
     */
    public void run(Long agentPid, Long gatewayPid) throws Exception {
        liveDeliveryAfterMovingMidTurn();
        approvalAnsweredOnTheOtherReplica();
        newerSocketOnTheOtherReplicaReplacesTheOlder();
        deleteOnOneReplicaClosesTheSocketOnTheOther();
        cancelOnTheOtherReplica();
        if (agentPid != null) {
            agentReplicaDiesMidTurn(agentPid);
        }
        if (gatewayPid != null) {
            gatewayReplicaDiesMidTurn(gatewayPid);
        }
    }

    /** Cut on A after the first token, resumed on B: the rest of the turn arrives live, in order, once. */
    private void liveDeliveryAfterMovingMidTurn() throws Exception {
        scenario("live delivery after moving to the other replica mid-turn", () -> {
            Moved moved = moveMidTurn(newSession());
            try (CheckSocket b = moved.socket()) {
                List<JsonNode> rest = b.untilDone();
                contiguous(rest, moved.lastSeq());
                require(rest.getLast().path("reason").asText().equals("completed"), "the turn ended " + rest.getLast());
                List<JsonNode> whole = new ArrayList<>(moved.processed());
                whole.addAll(rest);
                String tokens = whole.stream()
                        .filter(f -> isType(f, "assistant_message"))
                        .map(f -> f.path("token").asText())
                        .reduce("", String::concat);
                JsonNode last = whole.stream()
                        .filter(f -> f.path("is_final").asBoolean())
                        .findFirst()
                        .orElseThrow(() -> new CheckFailed("no final assistant_message in " + whole));
                require(
                        tokens.equals(last.path("content").asText()),
                        "the tokens of both sockets make \"" + tokens + "\", the message is \""
                                + last.path("content").asText() + "\"");
            }
        });
    }

    /** A turn on A asks for an approval the client sees on B after a cut; answered on B, the session goes on. */
    private void approvalAnsweredOnTheOtherReplica() throws Exception {
        scenario("an approval answered on the other replica", () -> {
            String sessionId = newSession();
            long lastSeq = startOnACutAfterTheFirstFrame(sessionId);
            try (CheckSocket b = replicaB.connect(sessionId, access, lastSeq)) {
                List<JsonNode> asked = b.untilDone();
                lastSeq = contiguous(asked, lastSeq);
                String callId = approvalAskedFor(asked);
                b.send("{\"type\":\"hitl_decision\",\"call_id\":\"" + callId + "\",\"decision\":\"approve\"}");
                List<JsonNode> approved = b.untilDone();
                lastSeq = contiguous(approved, lastSeq);
                require(
                        !find(approved, "tool_call").path("requires_approval").asBoolean(true),
                        "approved call still needs approval");
                require(
                        approved.getLast().path("reason").asText().equals("awaiting_tool"),
                        "after the approval: " + approved.getLast());
                b.send("{\"type\":\"tool_result\",\"call_id\":\"" + callId + "\",\"result\":{\"success\":true}}");
                List<JsonNode> finished = b.untilDone();
                contiguous(finished, lastSeq);
                require(
                        finished.getLast().path("reason").asText().equals("completed"),
                        "after the tool result: " + finished.getLast());
            }
            JsonNode pending = json(api.expect(
                    "pending approvals", api.get("/api/v1/sessions/" + sessionId + "/pending-approvals", access), 200));
            require(pending.path("count").asInt(-1) == 0, "approvals still pending: " + pending);
        });
    }

    /** Starts the approval turn on A and cuts the socket after its first frame; that frame's seq. */
    private long startOnACutAfterTheFirstFrame(String sessionId) throws Exception {
        try (CheckSocket a = replicaA.connect(sessionId, access, null)) {
            a.send(APPROVAL_MESSAGE);
            JsonNode first = a.next();
            require(!isType(first, "done") && !isType(first, "error"), "the turn ended at once: " + first);
            long seq = first.path("seq").asLong();
            a.abort();
            return seq;
        }
    }

    /** The id of the call the turn asked to approve, after checking it ended awaiting that approval. */
    private static String approvalAskedFor(List<JsonNode> asked) {
        JsonNode call = find(asked, "tool_call");
        require(call.path("requires_approval").asBoolean(), "the call needs no approval: " + call);
        require(
                asked.getLast().path("reason").asText().equals("awaiting_approval"),
                "the turn ended " + asked.getLast());
        return text(call, "call_id");
    }

    private void newerSocketOnTheOtherReplicaReplacesTheOlder() throws Exception {
        scenario("a newer socket on the other replica closes the older one with 4409", () -> {
            String sessionId = newSession();
            try (CheckSocket a = replicaA.connect(sessionId, access, null);
                    CheckSocket b = replicaB.connect(sessionId, access, null)) {
                int code = a.closedByServer(CLOSE_WAIT);
                require(code == 4409, "the older socket was closed with " + code);
                b.send(QUICK_MESSAGE);
                List<JsonNode> turn = b.untilDone();
                require(
                        turn.getLast().path("reason").asText().equals("completed"),
                        "the newer socket's turn ended " + turn.getLast());
            }
        });
    }

    private void deleteOnOneReplicaClosesTheSocketOnTheOther() throws Exception {
        scenario("DELETE on one replica closes the session's socket on the other", () -> {
            String sessionId = newSession();
            try (CheckSocket a = replicaA.connect(sessionId, access, null)) {
                replicaB.expect(
                        "DELETE through replica B",
                        replicaB.send("DELETE", "/api/v1/sessions/" + sessionId, access, null),
                        204);
                int code = a.closedByServer(CLOSE_WAIT);
                require(code == 1000, "the deleted session's socket was closed with " + code);
            }
        });
    }

    /**
     * The client moves to B mid-turn and says "stop, do this instead": the turn on A ends with one
     * {@code done cancelled}, and the new message then runs, without {@code TURN_IN_PROGRESS}.
     */
    private void cancelOnTheOtherReplica() throws Exception {
        scenario("cancel and a new message on the other replica", () -> {
            Moved moved = moveMidTurn(newSession());
            try (CheckSocket b = moved.socket()) {
                b.send("{\"type\":\"cancel\"}");
                b.send(QUICK_MESSAGE);
                List<JsonNode> cancelled = b.untilDone();
                long lastSeq = contiguous(cancelled, moved.lastSeq());
                require(
                        cancelled.getLast().path("reason").asText().equals("cancelled"),
                        "the moved turn ended " + cancelled.getLast()
                                + (cancelled.getLast().path("reason").asText().equals("completed") ? TOO_SHORT : ""));
                List<JsonNode> next = b.untilDone();
                contiguous(next, lastSeq);
                require(
                        next.getLast().path("reason").asText().equals("completed"),
                        "the message after the cancel ended " + next.getLast());
            }
        });
    }

    /** The agent replica serving a turn dies: the client gets an error and {@code done}, the next turn works. */
    private void agentReplicaDiesMidTurn(long agentPid) throws Exception {
        scenario("an agent replica killed mid-turn", () -> {
            try (CheckSocket a = replicaA.connect(newSession(), access, null)) {
                a.send(SLOW_MESSAGE);
                List<JsonNode> before = untilFirstToken(a);
                kill(agentPid);
                List<JsonNode> rest = a.framesUntilDone();
                contiguous(rest, before.getLast().path("seq").asLong());
                require(
                        rest.getLast().path("reason").asText().equals("error"),
                        "the turn ended " + rest.getLast()
                                + (rest.getLast().path("reason").asText().equals("completed") ? TOO_SHORT : ""));
                JsonNode error = find(rest, "error");
                require(error.path("error_code").asText().equals("AGENT_ERROR"), "the error is " + error);
                a.send(QUICK_MESSAGE);
                List<JsonNode> next = a.untilDone();
                require(
                        next.getLast().path("reason").asText().equals("completed"),
                        "the next turn ended " + next.getLast());
            }
        });
    }

    /**
     * Replica A dies while it runs the turn of a client now on B: B tells the client the turn was interrupted
     * (error + {@code done error}) once A's heartbeat has expired, and the next message runs.
     */
    private void gatewayReplicaDiesMidTurn(long gatewayPid) throws Exception {
        scenario("the gateway replica running a turn killed mid-turn", () -> {
            Moved moved = moveMidTurn(newSession());
            try (CheckSocket b = moved.socket()) {
                kill(gatewayPid);
                List<JsonNode> rest = b.framesUntilDone();
                contiguous(rest, moved.lastSeq());
                require(
                        rest.getLast().path("reason").asText().equals("error"),
                        "the turn ended " + rest.getLast()
                                + (rest.getLast().path("reason").asText().equals("completed") ? TOO_SHORT : ""));
                JsonNode error = find(rest, "error");
                require(
                        error.path("error_code").asText().equals("AGENT_ERROR")
                                && error.path("content").asText().startsWith("The turn was interrupted"),
                        "the error is " + error);
                b.send(QUICK_MESSAGE);
                List<JsonNode> next = b.untilDone();
                require(
                        next.getLast().path("reason").asText().equals("completed"),
                        "the next turn ended " + next.getLast());
            }
        });
    }

    /** A turn started on A, its socket cut after the first token, and the session reopened on B from there. */
    private Moved moveMidTurn(String sessionId) throws Exception {
        List<JsonNode> processed;
        try (CheckSocket a = replicaA.connect(sessionId, access, null)) {
            a.send(SLOW_MESSAGE);
            processed = untilFirstToken(a);
            a.abort();
        }
        // The agent stores the answer when the turn ends: a user message last means the turn still runs on A.
        JsonNode messages = json(api.expect(
                        "history", api.get("/api/v1/sessions/" + sessionId + "/history", access), 200))
                .path("messages");
        require(
                !messages.isEmpty()
                        && messages.get(messages.size() - 1)
                                .path("role")
                                .asText()
                                .equals("user"),
                "the turn ended before the client moved" + TOO_SHORT);
        long lastSeq = processed.getLast().path("seq").asLong();
        return new Moved(processed, lastSeq, replicaB.connect(sessionId, access, lastSeq));
    }

    /**
     * @param processed the frames the client processed on A
     * @param lastSeq   the seq of the last of them
     * @param socket    the session's socket on B, opened with {@code last_seq}
     */
    private record Moved(List<JsonNode> processed, long lastSeq, CheckSocket socket) {}

    private static List<JsonNode> untilFirstToken(CheckSocket socket) throws InterruptedException {
        List<JsonNode> frames = new ArrayList<>();
        while (true) {
            JsonNode frame = socket.next();
            frames.add(frame);
            require(
                    !isType(frame, "done") && !isType(frame, "error"),
                    "the turn ended before its first token: " + frames);
            if (isType(frame, "assistant_message") && !frame.path("is_final").asBoolean()) {
                return frames;
            }
        }
    }

    /** Fails unless the frames carry exactly the seqs after {@code after}, in order; returns the last one. */
    private static long contiguous(List<JsonNode> frames, long after) {
        long expected = after;
        for (JsonNode frame : frames) {
            expected++;
            require(
                    frame.path("seq").asLong(-1) == expected,
                    "expected seq " + expected + ", got " + frame + " in " + frames);
        }
        return expected;
    }

    private String newSession() throws Exception {
        return text(
                json(api.expect(
                        "create session",
                        api.send("POST", "/api/v1/sessions", access, "{\"title\":\"replicas\"}"),
                        201)),
                "session_id");
    }

    /** Kills the process at once (SIGKILL, as a crash) and waits until it is gone. */
    private static void kill(long pid) throws Exception {
        ProcessHandle process =
                ProcessHandle.of(pid).orElseThrow(() -> new CheckFailed("no process " + pid + " to kill"));
        process.destroyForcibly();
        process.onExit().get(EXIT_WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private interface Scenario {
        void run() throws Exception;
    }

    private void scenario(String name, Scenario body) throws Exception {
        api.step();
        try {
            body.run();
        } catch (CheckFailed e) {
            throw new CheckFailed(name + ": " + e.getMessage());
        }
        System.out.println("check: " + name + ": ok");
    }
}
