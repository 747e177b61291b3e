package dev.codelab.systemtests.reliability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.testing.WsClient;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The long run (docs/reliability.md, Load): N sessions hold turns for M seconds through the real stack; every frame
 * arrives exactly once and in order (seq contiguous from the first frame, streamed tokens add up to the final
 * text, each turn ends with one {@code done}), history holds every message, and heap after GC, platform
 * threads and open file descriptors (sockets, connections) do not grow. Off by default: run it with
 * {@code ./codelab test --long} (or {@code -Dcodelab.long=true}); size it with {@code -Dcodelab.soak.sessions}
 * (default 6) and {@code -Dcodelab.soak.seconds} (default 180).
 */
@EnabledIfSystemProperty(named = "codelab.long", matches = "true")
class SoakTest {

    private static final int SESSIONS = Integer.getInteger("codelab.soak.sessions", 6);
    private static final long SECONDS = Long.getLong("codelab.soak.seconds", 180);

    @Test
    void sessionsRunForMinutesWithoutLosingFramesOrLeaking() throws Exception {
        try (SystemStack stack = SystemStack.start(Map.of("LLM_PROXY__FAKE_DELAY_MS", "2"))) {
            List<String> tokens = List.of(stack.login(SystemStack.ALICE), stack.login(SystemStack.BOB));
            runSessions(stack, tokens, Duration.ofSeconds(20)); // warm-up: pools, JIT, caches
            Resources before = Resources.measure();

            List<Integer> turns = runSessions(stack, tokens, Duration.ofSeconds(SECONDS));
            Resources after = Resources.measure();
            System.out.println("soak: " + SESSIONS + " sessions, " + SECONDS + " s, turns per session " + turns
                    + "; before " + before + ", after " + after);

            assertThat(
                    "heap after GC, before " + before + " after " + after,
                    after.heapBytes(),
                    lessThanOrEqualTo(before.heapBytes() * 3 / 2 + 32L * 1024 * 1024));
            assertThat(
                    "platform threads, before " + before + " after " + after,
                    after.threads(),
                    lessThanOrEqualTo(before.threads() + 8));
            assertThat(
                    "open file descriptors, before " + before + " after " + after,
                    after.fileDescriptors(),
                    lessThanOrEqualTo(before.fileDescriptors() + 16));
        }
    }

    private static List<Integer> runSessions(SystemStack stack, List<String> tokens, Duration length) throws Exception {
        Instant end = Instant.now().plus(length);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> running = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                String token = tokens.get(i % tokens.size());
                running.add(pool.submit((Callable<Integer>) () -> oneSession(stack, token, end)));
            }
            List<Integer> turns = new ArrayList<>();
            for (Future<Integer> session : running) {
                turns.add(session.get());
            }
            return turns;
        }
    }

    /** Turns until {@code end}, alternating plain questions and an approved tool call; returns the turn count. */
    private static int oneSession(SystemStack stack, String token, Instant end) throws Exception {
        String session = stack.newSession(token);
        int turns = 0;
        long lastSeq = 0;
        try (WsClient ide = stack.connect(session, token)) {
            while (Instant.now().isBefore(end)) {
                String text = "turn " + turns + " of " + session;
                if (turns % 3 == 2) {
                    ide.send("{\"type\":\"user_message\",\"content\":\"create a file t" + turns
                            + ".txt with hi\",\"agent_type\":\"coder\"}");
                    List<JsonNode> asked = ide.untilDone();
                    lastSeq = checkTurn(asked, lastSeq, "awaiting_approval");
                    String callId = asked.stream()
                            .filter(f -> f.path("type").asText().equals("tool_call"))
                            .findFirst()
                            .orElseThrow()
                            .path("call_id")
                            .asText();
                    ide.send("{\"type\":\"hitl_decision\",\"call_id\":\"" + callId + "\",\"decision\":\"approve\"}");
                    lastSeq = checkTurn(ide.untilDone(), lastSeq, "awaiting_tool");
                    ide.send("{\"type\":\"tool_result\",\"call_id\":\"" + callId + "\",\"result\":{\"success\":true}}");
                    lastSeq = checkTurn(ide.untilDone(), lastSeq, "completed");
                } else {
                    ide.send("{\"type\":\"user_message\",\"content\":" + Json.write(text)
                            + ",\"agent_type\":\"coder\"}");
                    lastSeq = checkTurn(ide.untilDone(), lastSeq, "completed");
                }
                turns++;
            }
        }
        assertThat("user messages in the history of " + session, userMessages(stack, token, session), is((long) turns));
        return turns;
    }

    /** Pages back through the whole history (oldest first in each page, pages newest first). */
    private static long userMessages(SystemStack stack, String token, String session) throws Exception {
        long count = 0;
        String before = "";
        while (true) {
            JsonNode page = Json.read(stack.api(
                                    "GET",
                                    "/api/v1/sessions/" + session + "/history?limit=1000"
                                            + (before.isEmpty() ? "" : "&before=" + before),
                                    token,
                                    null)
                            .body())
                    .path("messages");
            for (JsonNode message : page) {
                count += message.path("role").asText().equals("user") ? 1 : 0;
            }
            if (page.size() < 1000) {
                return count;
            }
            before = page.get(0).path("id").asText();
        }
    }

    /** Seq contiguous, one done at the end, streamed tokens adding up to each final text; returns the last seq. */
    private static long checkTurn(List<JsonNode> frames, long lastSeq, String reason) {
        StringBuilder streamed = new StringBuilder();
        for (JsonNode frame : frames) {
            assertThat(
                    "seq after " + lastSeq + " in " + frames, frame.path("seq").asLong(), is(lastSeq + 1));
            lastSeq++;
            assertThat(frames.toString(), frame.path("type").asText().equals("error"), is(false));
            if (frame.path("type").asText().equals("assistant_message")) {
                streamed.append(frame.path("token").asText());
                if (frame.path("is_final").asBoolean()) {
                    assertThat(
                            "tokens add up to the final text in " + frames,
                            streamed.toString(),
                            is(frame.path("content").asText()));
                    streamed.setLength(0);
                }
            }
        }
        assertThat(frames.toString(), frames.getLast().path("reason").asText(), is(reason));
        assertThat(
                frames.toString(),
                frames.stream()
                        .filter(f -> f.path("type").asText().equals("done"))
                        .count(),
                is(1L));
        return lastSeq;
    }

    private record Resources(long heapBytes, int threads, long fileDescriptors) {
        static Resources measure() throws InterruptedException, IOException {
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(200);
            }
            long fds;
            try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
                fds = open.count();
            }
            return new Resources(
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(),
                    ManagementFactory.getThreadMXBean().getThreadCount(),
                    fds);
        }
    }
}
