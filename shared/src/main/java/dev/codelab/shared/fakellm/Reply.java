package dev.codelab.shared.fakellm;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * One scripted answer of a {@link FakeLlm}, played exactly as written: after an optional wait, the status and
 * headers, then the body parts each written and flushed on its own (a one-part answer with a Content-Length, like
 * a provider's non-streamed answer; the rest chunked), or a {@link BodyWriter} that computes the body while it
 * writes (paced tokens, a stream held open mid-way).
 *
 * @param release while not null, nothing is answered until it opens (at most {@code firstDelay}, 30 s if zero)
 * @param probe written every 100 ms while hanging (an SSE comment, a blank line, or nothing)
 * @param writer when not null, writes the whole body instead of {@code parts}
 */
public record Reply(
        int status,
        Map<String, String> headers,
        List<String> parts,
        Duration firstDelay,
        CountDownLatch release,
        Duration gap,
        boolean thenHang,
        String probe,
        BodyWriter writer) {

    /** Writes a body as it goes; the connection closes when it returns. */
    @FunctionalInterface
    public interface BodyWriter {
        void write(OutputStream out) throws IOException, InterruptedException;
    }

    private static Reply of(int status, String contentType, List<String> parts, String probe) {
        return new Reply(
                status,
                Map.of("Content-Type", contentType),
                parts,
                Duration.ZERO,
                null,
                Duration.ZERO,
                false,
                probe,
                null);
    }

    public static Reply json(int status, String body) {
        return of(status, "application/json", List.of(body), "");
    }

    /** A body in parts, sent chunked, without a Content-Type. */
    public static Reply chunked(int status, String... parts) {
        return new Reply(status, Map.of(), List.of(parts), Duration.ZERO, null, Duration.ZERO, false, "", null);
    }

    /** An SSE body: each event is written and flushed on its own. */
    public static Reply sse(String... events) {
        List<String> parts = new ArrayList<>();
        for (String event : events) {
            parts.add(event.endsWith("\n\n") ? event : event + "\n\n");
        }
        return of(200, "text/event-stream", parts, ": probe\n\n");
    }

    /** OpenAI-style SSE: {@code data: <json>} per chunk. */
    public static Reply openAiStream(String... chunks) {
        return sse(Arrays.stream(chunks).map(c -> "data: " + c).toArray(String[]::new));
    }

    public static Reply ndjson(String... lines) {
        return of(
                200,
                "application/x-ndjson",
                Arrays.stream(lines).map(l -> l + "\n").toList(),
                "\n");
    }

    /** A 200 event stream whose body {@code writer} writes while it runs. */
    public static Reply streamed(BodyWriter writer) {
        return new Reply(
                200,
                Map.of("Content-Type", "text/event-stream", "Cache-Control", "no-cache"),
                List.of(),
                Duration.ZERO,
                null,
                Duration.ZERO,
                false,
                "",
                writer);
    }

    public Reply withHeader(String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return new Reply(status, all, parts, firstDelay, release, gap, thenHang, probe, writer);
    }

    /** Nothing at all (not even the status) for {@code delay}, or until the fake closes. */
    public Reply delayedBy(Duration delay) {
        return new Reply(status, headers, parts, delay, release, gap, thenHang, probe, writer);
    }

    /** Nothing at all (not even the status) until {@code latch} opens, 30 s pass or the fake closes. */
    public Reply heldUntil(CountDownLatch latch) {
        return new Reply(status, headers, parts, firstDelay, latch, gap, thenHang, probe, writer);
    }

    public Reply withGap(Duration gap) {
        return new Reply(status, headers, parts, firstDelay, release, gap, thenHang, probe, writer);
    }

    /** After the parts, keep the connection open without sending anything the client would parse. */
    public Reply hanging() {
        return new Reply(status, headers, parts, firstDelay, release, gap, true, probe, writer);
    }

    /** Like {@link #hanging()}, but silent: nothing at all is written (for timeout tests). */
    public Reply silent() {
        return new Reply(status, headers, parts, firstDelay, release, gap, true, "", writer);
    }
}
