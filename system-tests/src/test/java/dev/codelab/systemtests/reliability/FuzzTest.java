package dev.codelab.systemtests.reliability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.isIn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.testing.WsClient;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded fuzzing of the public surface through the real stack: the token endpoint, every gateway REST route
 * and the IDE WebSocket get thousands of random and mutated inputs; every answer must be a documented one
 * (docs/protocol.md, "Errors and close codes") and the server must still serve a valid request after.
 * Each run draws fresh seeds (one by default; {@code -Dcodelab.fuzz.runs=N} for more). A failure names the seed
 * and, on the socket, shows the last frames both ways; rerun it with {@code -Dcodelab.fuzz.seed=<seed>}.
 */
class FuzzTest {

    private static final int TOKEN_CASES = 1000;
    private static final int REST_CASES = 800;
    private static final int SOCKET_CASES = 300;

    private static final Set<Integer> OAUTH_STATUSES = Set.of(200, 400, 401, 403, 429);
    private static final Set<String> OAUTH_ERRORS = Set.of(
            "invalid_request",
            "invalid_client",
            "invalid_grant",
            "unauthorized_client",
            "unsupported_grant_type",
            "invalid_scope",
            "rate_limit_exceeded",
            "slow_down");
    private static final Set<Integer> REST_STATUSES = Set.of(200, 201, 204, 400, 404, 405, 413, 415);
    private static final Set<String> FRAME_TYPES =
            Set.of("agent_switched", "assistant_message", "tool_call", "done", "error", "context_condensed");
    private static final Set<String> ERROR_CODES = Set.of(
            "INVALID_FORMAT",
            "INVALID_TYPE",
            "MISSING_FIELD",
            "INVALID_FIELD",
            "INVALID_CALL_ID",
            "TURN_IN_PROGRESS",
            "RATE_LIMIT_EXCEEDED",
            "AGENT_UNAVAILABLE",
            "AGENT_ERROR",
            "LLM_ERROR",
            "LLM_TIMEOUT",
            "TOOL_NOT_ALLOWED",
            "STEP_LIMIT_REACHED",
            "SESSION_NOT_FOUND",
            "INTERNAL_ERROR",
            "NOTHING_TO_CONDENSE",
            "NOTHING_TO_CONTINUE");
    private static final Set<String> DONE_REASONS =
            Set.of("completed", "awaiting_tool", "awaiting_approval", "cancelled", "step_limit", "error");

    private static SystemStack stack;
    private static String token;
    private long seed;
    private Mutator fuzz;

    @BeforeAll
    static void start() throws Exception {
        stack = SystemStack.start(Map.of());
        token = stack.login(SystemStack.ALICE);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    /** The seeds of this run: {@code -Dcodelab.fuzz.seed=S} replays one, {@code -Dcodelab.fuzz.runs=N} draws N. */
    static LongStream seeds() {
        return Mutator.seeds();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void tokenEndpointAnswersEveryFormWithAnOAuthBody(long seed) throws Exception {
        seeded(seed);
        String valid = "grant_type=password&username=alice&password=" + SystemStack.PASSWORD
                + "&client_id=codelab-flutter-app";
        List<String> seeds = List.of(
                valid,
                "grant_type=refresh_token&refresh_token=abc.def&client_id=codelab-flutter-app",
                "grant_type=client_credentials&client_id=codelab-internal&client_secret=x&scope=api:read",
                "");
        for (int i = 0; i < TOKEN_CASES; i++) {
            byte[] body = switch (fuzz.nextInt(4)) {
                case 0 -> withInvalidUtf8(fuzz.mutate(fuzz.pick(seeds)));
                case 1 -> (fuzz.word() + "=" + fuzz.word() + "&" + fuzz.mutate(valid)).getBytes(StandardCharsets.UTF_8);
                default -> fuzz.mutate(fuzz.pick(seeds)).getBytes(StandardCharsets.UTF_8);
            };
            String contentType = fuzz.nextInt(10) == 0
                    ? fuzz.pick(List.of(
                            "application/json",
                            "text/plain",
                            "multipart/form-data",
                            fuzz.word().replaceAll("\\s", "")))
                    : "application/x-www-form-urlencoded";
            HttpResponse<String> res = stack.http()
                    .send(
                            HttpRequest.newBuilder(stack.auth("/oauth/token"))
                                    .timeout(Duration.ofSeconds(30))
                                    .header("Content-Type", contentType.isBlank() ? "x/y" : contentType)
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            String what = "seed " + seed + " case " + i + " body " + new String(body, StandardCharsets.UTF_8) + " -> "
                    + res.statusCode() + " " + res.body();
            assertThat(what, res.statusCode(), isIn(OAUTH_STATUSES));
            JsonNode answer = Json.read(res.body());
            if (res.statusCode() == 200) {
                assertThat(what, answer.path("access_token").isTextual(), is(true));
            } else {
                assertThat(what, answer.path("error").asText(), isIn(OAUTH_ERRORS));
                assertThat(what, answer.path("error_description").isTextual(), is(true));
            }
        }
        assertThat("seed " + seed, stack.login(SystemStack.ALICE).isEmpty(), is(false));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyRestRouteAnswersEveryInputWithTheErrorBody(long seed) throws Exception {
        seeded(seed);
        String session = stack.newSession(token);
        List<String> bodies = List.of("""
                        {"title":"t","system_prompt":"be brief"}""", """
                        {"title":"renamed"}""", "{}", """
                        {"title":"nul \\u0000 here","system_prompt":"lone \\ud800 surrogate"}""");
        for (int i = 0; i < REST_CASES; i++) {
            String encodedId = switch (fuzz.nextInt(4)) {
                case 0 -> session;
                case 1 -> encodePath(fuzz.mutate(session));
                case 2 -> fuzz.pick(List.of("..", "%2e%2e", "a%2Fb", "%00", "x".repeat(129), "%20", "%C3%28", "%FF"));
                default -> encodePath(fuzz.word());
            };
            String query = fuzz.nextInt(3) == 0
                    ? "?" + fuzz.pick(List.of("limit", "offset", "before")) + "=" + encodePath(fuzz.word())
                    : "";
            String body = switch (fuzz.nextInt(5)) {
                case 0 -> fuzz.jsonValue(3);
                case 1 -> fuzz.deeplyNested(2000 + fuzz.nextInt(3000));
                case 2 -> "{\"title\":" + fuzz.hugeString(10_000 + fuzz.nextInt(100_000)) + "}";
                default -> fuzz.mutate(fuzz.pick(bodies));
            };
            String[] call = switch (fuzz.nextInt(8)) {
                case 0 -> new String[] {"POST", "/api/v1/sessions"};
                case 1 -> new String[] {"GET", "/api/v1/sessions" + query};
                case 2 -> new String[] {"GET", "/api/v1/sessions/" + encodedId};
                case 3 -> new String[] {"PATCH", "/api/v1/sessions/" + encodedId};
                case 4 -> new String[] {"GET", "/api/v1/sessions/" + encodedId + "/history" + query};
                case 5 -> new String[] {"GET", "/api/v1/sessions/" + encodedId + "/pending-approvals"};
                case 6 -> new String[] {"GET", "/api/v1/sessions/" + encodedId + "/agent"};
                default -> new String[] {"GET", "/api/v1/agents" + query};
            };
            boolean sendsBody = call[0].equals("POST") || call[0].equals("PATCH");
            HttpResponse<String> res = stack.api(call[0], call[1], token, sendsBody ? body : null);
            String what = "seed " + seed + " case " + i + ": " + call[0] + " " + call[1] + " "
                    + (sendsBody ? abbreviated(body) : "") + " -> " + res.statusCode() + " " + abbreviated(res.body());
            assertThat(what, res.statusCode(), isIn(REST_STATUSES));
            if (res.statusCode() >= 400) {
                assertErrorBody(what, Json.read(res.body()));
            }
        }
        assertThat(
                "seed " + seed,
                stack.api("GET", "/api/v1/sessions/" + session, token, null).statusCode(),
                is(200));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theSocketAnswersEveryBadFrameWithTheDocumentedErrorAndStaysOpen(long seed) throws Exception {
        seeded(seed);
        String session = stack.newSession(token);
        try (WsClient ide = stack.connect(session, token)) {
            try {
                fuzzSocket(ide);
            } catch (AssertionError e) {
                throw new AssertionError(
                        e.getMessage() + "\nseed " + seed + "; the last frames (C: sent, S: received):\n"
                                + ide.transcript(),
                        e);
            }
        }
    }

    private void fuzzSocket(WsClient ide) throws Exception {
        FrameCheck check = new FrameCheck();
        // Frames with a fixed answer, one at a time: exactly that error, nothing else.
        for (int i = 0; i < SOCKET_CASES; i++) {
            Classified input = classified();
            ide.send(input.frame());
            String what = "seed " + seed + " classified case " + i + ": " + abbreviated(input.frame());
            JsonNode answer = check.next(ide, what);
            assertThat(what + " -> " + answer, answer.path("error_code").asText(), isIn(input.codes()));
        }
        // Mutated valid frames: they may start turns, so only the shape of every frame is checked, and a probe
        // with a known answer marks how far the server got.
        for (int i = 0; i < SOCKET_CASES; i++) {
            String mutated = socketSafe(fuzz.mutate(fuzz.pick(validFrames())));
            String what = "seed " + seed + " mutated case " + i + ": " + abbreviated(mutated);
            ide.send(mutated);
            ide.send("{\"type\":\"probe-" + i + "\"}");
            JsonNode frame;
            do {
                frame = check.next(ide, what);
            } while (!frame.path("content").asText().equals("Unknown message type: probe-" + i));
            assertThat(what, ide.isOpen(), is(true));
        }
        finishWithAValidTurn(ide, check, "seed " + seed);
    }

    private void seeded(long seed) {
        System.out.println("fuzz seed " + seed);
        this.seed = seed;
        this.fuzz = new Mutator(seed);
    }

    /** A frame whose answer protocol.md fixes, with the error codes it allows. */
    private record Classified(String frame, Set<String> codes) {}

    private Classified classified() {
        Set<String> field = Set.of("MISSING_FIELD", "INVALID_FIELD");
        return switch (fuzz.nextInt(9)) {
            case 0 -> new Classified("not json " + fuzz.word(), Set.of("INVALID_FORMAT"));
            case 1 ->
                new Classified(
                        fuzz.pick(List.of("[1,2]", "\"text\"", "42", "null", "true", "[]")), Set.of("INVALID_FORMAT"));
            case 2 ->
                new Classified(fuzz.deeplyNested(1500 + fuzz.nextInt(5000)), Set.of("INVALID_FORMAT", "INVALID_TYPE"));
            case 3 -> new Classified("{\"content\":" + fuzz.jsonValue(2) + "}", Set.of("INVALID_TYPE"));
            case 4 ->
                new Classified(
                        "{\"type\":" + fuzz.pick(List.of("1", "null", "[]", "{}", "true", "\"USER_MESSAGE\"", "\"\""))
                                + "}",
                        Set.of("INVALID_TYPE"));
            case 5 ->
                new Classified(
                        "{\"type\":\"user_message\",\"content\":"
                                + fuzz.pick(List.of("1", "null", "[]", "{}", "\"\"", "\"   \"", "true")) + "}",
                        field);
            case 6 ->
                new Classified(
                        "{\"type\":\"tool_result\",\"call_id\":" + Mutator.quoted("call_" + fuzz.word())
                                + ",\"result\":" + fuzz.jsonValue(3) + "}",
                        Set.of("INVALID_CALL_ID"));
            case 7 ->
                new Classified(
                        "{\"type\":\"hitl_decision\",\"call_id\":" + fuzz.jsonValue(1) + ",\"decision\":"
                                + fuzz.pick(List.of("\"approve\"", "\"maybe\"", "1", "null")) + "}",
                        Set.of("MISSING_FIELD", "INVALID_FIELD", "INVALID_CALL_ID"));
            default ->
                new Classified(
                        "{\"type\":\"switch_agent\",\"agent_type\":"
                                + fuzz.pick(List.of("1", "null", "\"nobody\"", "[]", "\"\"")) + "}",
                        field);
        };
    }

    private List<String> validFrames() {
        return List.of(
                """
                        {"type":"user_message","content":"hello there"}""",
                """
                        {"type":"user_message","content":"explain","agent_type":"ask"}""",
                """
                        {"type":"tool_result","call_id":"call_1","result":{"success":true}}""",
                """
                        {"type":"tool_result","call_id":"call_1","error":"failed"}""",
                """
                        {"type":"hitl_decision","call_id":"call_1","decision":"edit",\
                        "modified_arguments":{"path":"a"}}""",
                """
                        {"type":"switch_agent","agent_type":"debug","reason":"why"}""",
                """
                        {"type":"cancel"}""",
                """
                        {"type":"condense"}""",
                """
                        {"type":"continue"}""",
                """
                        {"type":"user_message","content":"nul \\u0000 and lone \\udc00 here"}""",
                "{\"type\":\"user_message\",\"content\":" + fuzz.hugeString(1000 + fuzz.nextInt(60_000)) + "}");
    }

    /**
     * Whatever the fuzzing left running, queued or waiting for the IDE: a cancel ends it, and then a plain question
     * gets a whole turn. A message that still collides with a turn (a frame the fuzzing queued) waits until the
     * session is quiet and is sent again.
     */
    private static void finishWithAValidTurn(WsClient ide, FrameCheck check, String what) throws Exception {
        ide.send("""
                {"type":"cancel"}""");
        for (int attempt = 0; attempt < 5; attempt++) {
            ide.send("""
                    {"type":"user_message","content":"hello after fuzzing"}""");
            String lastText = "";
            while (true) {
                JsonNode frame = check.next(ide, what);
                if (frame.path("is_final").asBoolean()) {
                    lastText = frame.path("content").asText();
                } else if (frame.path("type").asText().equals("done")
                        && frame.path("reason").asText().equals("completed")
                        && lastText.endsWith("hello after fuzzing")) {
                    return;
                } else if (frame.path("error_code").asText().equals("TURN_IN_PROGRESS")) {
                    while (check.poll(ide, 2, what) != null) {
                        // the colliding turn runs out
                    }
                    break;
                }
            }
        }
        throw new AssertionError(what + ": no completed turn after fuzzing");
    }

    /** Checks each server frame against docs/protocol.md: known type, increasing seq, documented codes. */
    private static final class FrameCheck {
        private long lastSeq;

        JsonNode next(WsClient ide, String what) throws InterruptedException {
            return checked(ide.next(), what);
        }

        /** The next frame, checked, or {@code null} when none arrived within {@code seconds}. */
        JsonNode poll(WsClient ide, long seconds, String what) throws InterruptedException {
            JsonNode frame = ide.poll(seconds);
            return frame == null ? null : checked(frame, what);
        }

        private JsonNode checked(JsonNode frame, String what) {
            String where = what + " -> " + abbreviated(frame.toString());
            assertThat(where, frame.path("type").asText(), isIn(FRAME_TYPES));
            long seq = frame.path("seq").asLong(-1);
            assertThat(where + " (seq after " + lastSeq + ")", seq > lastSeq, is(true));
            lastSeq = seq;
            switch (frame.path("type").asText()) {
                case "error" -> {
                    assertThat(where, frame.path("error_code").asText(), isIn(ERROR_CODES));
                    assertThat(where, frame.path("content").isTextual(), is(true));
                }
                case "done" -> assertThat(where, frame.path("reason").asText(), isIn(DONE_REASONS));
                case "context_condensed" -> {
                    assertThat(where, frame.path("method").asText(), isIn(Set.of("summary", "trimmed")));
                    assertThat(where, frame.path("tokens_after").isInt(), is(true));
                }
                default -> {}
            }
            return frame;
        }
    }

    static void assertErrorBody(String what, JsonNode body) {
        assertThat(what, body.path("error").isTextual(), is(true));
        assertThat(what, body.path("message").isTextual(), is(true));
        assertThat(what, body.path("details").isObject(), is(true));
    }

    /** The JDK client refuses to send unpaired surrogates; mutations can split a pair. */
    private static String socketSafe(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '?' : c);
            }
        }
        return out.toString();
    }

    private byte[] withInvalidUtf8(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        int at = fuzz.nextInt(utf8.length + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(utf8, 0, at);
        byte[] invalid = fuzz.pick(List.of(new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xFF}, new byte[] {
            (byte) 0xED, (byte) 0xA0, (byte) 0x80
        }));
        out.write(invalid, 0, invalid.length);
        out.write(utf8, at, utf8.length - at);
        return out.toByteArray();
    }

    private static String encodePath(String id) {
        StringBuilder out = new StringBuilder();
        for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (Character.isLetterOrDigit(c) && c < 128 || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static String abbreviated(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...(" + text.length() + " chars)";
    }
}
