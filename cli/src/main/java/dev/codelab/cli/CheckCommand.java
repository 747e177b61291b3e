package dev.codelab.cli;

import static dev.codelab.cli.check.CheckFailed.require;
import static dev.codelab.cli.check.CheckHttp.json;
import static dev.codelab.cli.check.CheckHttp.text;
import static dev.codelab.cli.check.CheckSocket.find;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.cli.check.CheckFailed;
import dev.codelab.cli.check.CheckHttp;
import dev.codelab.cli.check.CheckSocket;
import dev.codelab.cli.check.InternalCheck;
import dev.codelab.cli.check.ReplicaCheck;
import dev.codelab.shared.http.Json;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code codelab check}: walks a running deployment through the seed's whole flow — token, JWKS, sessions,
 * agents, a WebSocket turn with a tool call and an approval, its usage, history, health routes, the internal examples
 * ({@link InternalCheck}, with {@code --agent-url}), the REST rate limit — and fails on the first answer that is not
 * what the contract says. With {@code --gateway-replicas} it also
 * checks that sessions move between gateway replicas ({@link ReplicaCheck}). The end-to-end check of CI runs it
 * through nginx; operators can run it against their own deployment.
 */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = "Check a running CodeLab deployment end to end (exits non-zero on the first failure).")
public final class CheckCommand implements Callable<Integer> {

    @Option(names = "--url", description = "Public base URL (default ${DEFAULT-VALUE}).")
    String url = "http://localhost:8080";

    @Option(names = "--username", required = true, description = "A user that may log in.")
    String username;

    @Option(names = "--password", required = true, description = "Its password.")
    String password;

    @Option(names = "--nginx", description = "Also check nginx's own routes (/nginx-health).")
    boolean nginx;

    @Option(names = "--rate-limit", description = "Finally send requests until the REST rate limit answers 429.")
    boolean rateLimit;

    @Option(
            names = "--agent-url",
            paramLabel = "URL",
            description = "The agent runtime, reached directly: also run the seed's internal examples against it "
                    + "(with --llmproxy-url and the internal key).")
    String agentUrl;

    @Option(
            names = "--llmproxy-url",
            paramLabel = "URL",
            description = "llmproxy, reached directly (with --agent-url).")
    String llmProxyUrl;

    @Option(
            names = "--internal-key",
            defaultValue = "${env:CODELAB_INTERNAL_API_KEY}",
            paramLabel = "KEY",
            description = "The internal key for --agent-url (default: $CODELAB_INTERNAL_API_KEY; prefer the variable, "
                    + "a command line is visible to other users of the machine).")
    String internalKey;

    @Option(
            names = "--gateway-replicas",
            split = ",",
            paramLabel = "URL",
            description = "Base URLs of two gateway replicas, reached directly: check that a session's socket may move "
                    + "from the first to the second mid-turn, and 4409, DELETE and cancel across them.")
    List<String> gatewayReplicas = List.of();

    @Option(
            names = "--kill-agent-pid",
            paramLabel = "PID",
            description = "With --gateway-replicas: kill this agent replica (the one serving turns) mid-turn and check "
                    + "that the turn ends with an error and the next one is served by another replica.")
    Long agentPid;

    @Option(
            names = "--kill-gateway-pid",
            paramLabel = "PID",
            description = "With --gateway-replicas: kill the first gateway replica (this process) mid-turn and check "
                    + "that the socket on the second learns how the turn ended. Runs last; the replica stays dead.")
    Long gatewayPid;

    private CheckHttp http;

    @Override
    public Integer call() throws Exception {
        http = new CheckHttp(url);
        try {
            if (gatewayReplicas.size() != 0 && gatewayReplicas.size() != 2) {
                throw new CheckFailed("--gateway-replicas takes two URLs, not " + gatewayReplicas.size());
            }
            if ((agentUrl == null) != (llmProxyUrl == null)
                    || agentUrl != null && (internalKey == null || internalKey.isBlank())) {
                throw new CheckFailed(
                        "--agent-url and --llmproxy-url go together, with the internal key (CODELAB_INTERNAL_API_KEY)");
            }
            run();
            System.out.println("check: all " + http.steps() + " steps passed against " + url);
            return 0;
        } catch (CheckFailed e) {
            System.err.println("check: FAILED at step " + http.steps() + ": " + e.getMessage());
            return 1;
        }
    }

    private void run() throws Exception {
        if (nginx) {
            http.expect("nginx health", http.get("/nginx-health", null), 200);
            http.expect("internal services are not routed", http.get("/v1/models", null), 404);
            http.expect("internal services are not routed", http.get("/agents", null), 404);
        }
        http.expect("auth health via the entry point", http.get("/auth-health", null), 200);
        http.expect("gateway health via the entry point", http.get("/gateway-health", null), 200);

        JsonNode token = json(http.expect(
                "password grant",
                http.form(
                        "/oauth/token",
                        Map.of(
                                "grant_type",
                                "password",
                                "username",
                                username,
                                "password",
                                password,
                                "client_id",
                                "codelab-flutter-app")),
                200));
        String access = text(token, "access_token");
        String refresh = text(token, "refresh_token");
        require(
                json(http.expect("JWKS", http.get("/.well-known/jwks.json", null), 200))
                                .path("keys")
                                .size()
                        > 0,
                "JWKS has no keys");
        http.expect("unauthenticated REST is refused", http.get("/api/v1/agents", null), 401);

        JsonNode created = json(http.expect(
                "create session", http.send("POST", "/api/v1/sessions", access, "{\"title\":\"check\"}"), 201));
        String sessionId = text(created, "session_id");
        require(sessionId.equals(text(created, "id")), "session id and id differ");
        http.expect("get session", http.get("/api/v1/sessions/" + sessionId, access), 200);
        JsonNode agents = json(http.expect("list agents", http.get("/api/v1/agents", access), 200));
        require(
                agents.path("agents").size() == 5,
                "expected 5 agents, got " + agents.path("agents").size());

        webSocketTurn(sessionId, access);
        usageOfTheTurn(sessionId, access);

        JsonNode history =
                json(http.expect("history", http.get("/api/v1/sessions/" + sessionId + "/history", access), 200));
        require(
                history.path("messages").size() >= 3,
                "history holds " + history.path("messages").size() + " messages");
        JsonNode pending = json(http.expect(
                "pending approvals", http.get("/api/v1/sessions/" + sessionId + "/pending-approvals", access), 200));
        require(pending.path("count").asInt(-1) == 0, "approvals still pending: " + pending);
        json(http.expect(
                "refresh grant",
                http.form(
                        "/oauth/token",
                        Map.of(
                                "grant_type",
                                "refresh_token",
                                "refresh_token",
                                refresh,
                                "client_id",
                                "codelab-flutter-app")),
                200));
        JsonNode health = json(http.expect("gateway API health", http.get("/api/v1/health", null), 200));
        require(
                health.path("services").path("database").asText().equals("connected"),
                "the agent's database: " + health);

        if (agentUrl != null) {
            new InternalCheck(http.at(agentUrl), http.at(llmProxyUrl), internalKey).run();
        }

        if (!gatewayReplicas.isEmpty()) {
            new ReplicaCheck(http, access, http.at(gatewayReplicas.get(0)), http.at(gatewayReplicas.get(1)))
                    .run(agentPid, gatewayPid);
        }
        if (rateLimit) {
            checkRateLimit(access);
        }
    }

    /** A user message that the fake model answers with a write_file call, approved, executed, completed. */
    private void webSocketTurn(String sessionId, String access) throws Exception {
        http.step();
        try (CheckSocket ws = http.connect(sessionId, access, null)) {
            ws.send("{\"type\":\"user_message\",\"content\":\"create a file hello.txt with hi\"}");
            List<JsonNode> turn = ws.untilDone();
            JsonNode call = find(turn, "tool_call");
            require(call.path("tool_name").asText().equals("write_file"), "expected a write_file call, got " + call);
            require(call.path("requires_approval").asBoolean(), "write_file should need approval");
            require(turn.getLast().path("reason").asText().equals("awaiting_approval"), "turn ended " + turn.getLast());
            String callId = text(call, "call_id");

            ws.send("{\"type\":\"hitl_decision\",\"call_id\":\"" + callId + "\",\"decision\":\"approve\"}");
            List<JsonNode> approved = ws.untilDone();
            require(
                    !find(approved, "tool_call").path("requires_approval").asBoolean(true),
                    "approved call still needs approval");
            require(
                    approved.getLast().path("reason").asText().equals("awaiting_tool"),
                    "after approval: " + approved.getLast());

            ws.send("{\"type\":\"tool_result\",\"call_id\":\"" + callId + "\",\"result\":{\"success\":true}}");
            List<JsonNode> finished = ws.untilDone();
            require(
                    finished.getLast().path("reason").asText().equals("completed"),
                    "after the tool result: " + finished.getLast());
            find(finished, "assistant_message");
            checkSeqIncreases(turn, approved, finished);
        }
    }

    /** The turn's LLM calls (routing and two steps) are metered for the user within seconds. */
    private void usageOfTheTurn(String sessionId, String access) throws Exception {
        http.step();
        JsonNode usage = null;
        for (int attempt = 0; attempt < 100; attempt++) {
            usage = json(http.expect("own usage", http.get("/api/v1/usage", access), 200));
            for (JsonNode session : usage.path("by_session")) {
                if (session.path("session_id").asText().equals(sessionId)
                        && session.path("calls").asLong() >= 3) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new CheckFailed("the turn's calls are not in the caller's usage after 10 s: " + usage);
    }

    private void checkRateLimit(String access) throws Exception {
        http.step();
        for (int i = 0; i < 300; i++) {
            HttpResponse<String> res = http.get("/api/v1/agents", access);
            if (res.statusCode() == 429) {
                require(res.headers().firstValue("Retry-After").isPresent(), "429 without Retry-After");
                require(text(Json.read(res.body()), "error").equals("rate_limit_exceeded"), "429 body: " + res.body());
                return;
            }
            require(res.statusCode() == 200, "while filling the rate limit: " + res.statusCode());
        }
        throw new CheckFailed("300 requests and no 429");
    }

    @SafeVarargs
    private static void checkSeqIncreases(List<JsonNode>... turns) {
        long last = 0;
        for (List<JsonNode> turn : turns) {
            for (JsonNode frame : turn) {
                long seq = frame.path("seq").asLong(-1);
                require(seq > last, "seq not increasing at " + frame);
                last = seq;
            }
        }
    }
}
