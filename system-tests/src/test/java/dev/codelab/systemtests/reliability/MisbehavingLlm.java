package dev.codelab.systemtests.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.fakellm.FakeLlm;
import dev.codelab.shared.fakellm.OpenAiWire;
import dev.codelab.shared.fakellm.Recorded;
import dev.codelab.shared.fakellm.Reply;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The shared {@link FakeLlm} misbehaving on demand: it answers 500, hangs, cuts the stream before
 * {@code [DONE]}, calls {@code write_file} whatever tools it is offered, or streams a short answer (and answers a
 * request that does not stream, a context summary, with a short JSON completion). llmproxy reaches it through a
 * models file. Keeps the body of each request.
 */
final class MisbehavingLlm implements AutoCloseable {

    private static final String MODEL = "flaky";

    enum Mode {
        OK,
        FAIL,
        FAIL_ONCE,
        HANG,
        CUT,
        WRITE_FILE
    }

    private final FakeLlm upstream = FakeLlm.start(this::answer);
    private volatile Mode mode = Mode.OK;

    private MisbehavingLlm() {}

    static MisbehavingLlm start() {
        return new MisbehavingLlm();
    }

    void mode(Mode newMode) {
        mode = newMode;
        upstream.reset();
    }

    int requests() {
        return upstream.requests().size();
    }

    /** The request bodies, in the order they came. */
    List<JsonNode> bodies() {
        return upstream.requests().stream().map(Recorded::json).toList();
    }

    /** A models file whose only alias {@code flaky} is served by this upstream (first-token timeout 1 s). */
    Path modelsFile(Path dir) throws IOException {
        return upstream.writeModelsFile(dir, MODEL, "api_key_env: FLAKY_KEY, timeout_seconds: 1");
    }

    private Reply answer(Recorded request) {
        if (mode == Mode.OK && !request.streams()) {
            return Reply.json(200, OpenAiWire.completion(MODEL, "- the user asks about monads", 9, 5));
        }
        return switch (mode) {
            case FAIL -> failure();
            case FAIL_ONCE -> requests() == 1 ? failure() : stream(true);
            // no status, no headers: the connection stays open until the fake closes (or 30 s pass)
            case HANG -> failure().delayedBy(Duration.ofSeconds(30));
            case CUT -> stream(false);
            case WRITE_FILE ->
                Reply.openAiStream(
                        OpenAiWire.chunk(MODEL, """
                            {"role":"assistant","tool_calls":[{"index":0,"id":"call_w","type":"function",\
                            "function":{"name":"write_file",\
                            "arguments":"{\\"path\\":\\"a.txt\\",\\"content\\":\\"x\\"}"}}]}""", null),
                        OpenAiWire.chunk(MODEL, "{}", "tool_calls"),
                        OpenAiWire.DONE);
            case OK -> stream(true);
        };
    }

    private static Reply failure() {
        return Reply.json(500, """
                {"error":{"message":"upstream broke","type":"server_error"}}""");
    }

    private static Reply stream(boolean complete) {
        List<String> partial = List.of(
                OpenAiWire.chunk(MODEL, """
                        {"role":"assistant","content":""}""", null),
                OpenAiWire.chunk(MODEL, OpenAiWire.contentDelta("Partial"), null),
                OpenAiWire.chunk(MODEL, OpenAiWire.contentDelta(" text"), null));
        if (!complete) {
            return Reply.openAiStream(partial.toArray(String[]::new));
        }
        return Reply.openAiStream(
                partial.get(0), partial.get(1), partial.get(2), OpenAiWire.chunk(MODEL, "{}", "stop"), OpenAiWire.DONE);
    }

    @Override
    public void close() {
        upstream.close();
    }
}
