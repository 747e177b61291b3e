package dev.codelab.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.fakellm.FakeLlm;
import dev.codelab.shared.fakellm.OpenAiWire;
import dev.codelab.shared.fakellm.Recorded;
import dev.codelab.shared.fakellm.Reply;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shared {@link FakeLlm} as the bench's OpenAI-compatible upstream on 127.0.0.1. A streamed answer is paced
 * by the last user message {@code bench tokens=N rate=R}: N content chunks, R per second, each chunk's text
 * {@code ~<index>@<System.nanoTime() just before the write>;} so that a client in the same JVM can tell the
 * latency of every token and whether any was lost, duplicated or reordered. A non-streamed request gets a
 * short answer (the orchestrator's routing JSON when it asks for {@code json_object}).
 */
final class PacedUpstream implements AutoCloseable {

    static final String MODEL = "bench";
    private static final Pattern PACING = Pattern.compile("bench tokens=(\\d+) rate=(\\d+)");
    private static final byte[] DONE = OpenAiWire.event(OpenAiWire.DONE);

    private final FakeLlm server = FakeLlm.start(PacedUpstream::answer);

    private PacedUpstream() {}

    static PacedUpstream start() {
        return new PacedUpstream();
    }

    /** The base URL an {@code openai} deployment points at. */
    String baseUrl() {
        return server.baseUrl() + "/v1";
    }

    /** Writes llmproxy's model registry with this upstream as the only model; returns its path. */
    Path writeModelsFile(Path dir) throws IOException {
        return server.writeModelsFile(dir, MODEL, "timeout_seconds: 30");
    }

    int port() {
        return server.port();
    }

    private static Reply answer(Recorded request) {
        JsonNode body = request.json();
        if (body.path("stream").asBoolean(false)) {
            return stream(lastUserText(body));
        }
        String content =
                "json_object".equals(body.path("response_format").path("type").asText()) ? """
                        {"agent":"ask","confidence":"high","reasoning":"bench"}""" : "ok";
        return Reply.json(200, OpenAiWire.completion(MODEL, content, 1, 1));
    }

    private static Reply stream(String userText) {
        Matcher pacing = PACING.matcher(userText);
        boolean paced = pacing.find();
        int tokens = paced ? Integer.parseInt(pacing.group(1)) : 10;
        long intervalNanos = paced ? 1_000_000_000L / Math.max(1, Integer.parseInt(pacing.group(2))) : 0;
        return Reply.streamed(out -> {
            long start = System.nanoTime();
            for (int i = 0; i < tokens; i++) {
                Pace.until(start + i * intervalNanos);
                write(out, OpenAiWire.contentDelta("~" + i + "@" + System.nanoTime() + ";"), null);
                out.flush();
            }
            write(out, "{}", "stop");
            out.write(OpenAiWire.event(OpenAiWire.usageChunk(MODEL, 1, tokens)));
            out.write(DONE);
        });
    }

    private static void write(OutputStream out, String delta, String finishReason) throws IOException {
        out.write(OpenAiWire.event(OpenAiWire.chunk(MODEL, delta, finishReason)));
    }

    private static String lastUserText(JsonNode body) {
        String text = "";
        for (JsonNode message : body.path("messages")) {
            if ("user".equals(message.path("role").asText())) {
                text = message.path("content").asText("");
            }
        }
        return text;
    }

    @Override
    public void close() {
        server.close();
    }
}
