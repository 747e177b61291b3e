package dev.codelab.shared.sse;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes a {@code text/event-stream} response event by event, flushing each at once. One writer per response;
 * its methods are synchronized so a keep-alive timer and the producing loop can share it.
 */
public final class SseWriter implements AutoCloseable {

    private final OutputStream out;

    private SseWriter(OutputStream out) {
        this.out = out;
    }

    /** Sets the SSE headers on a 200 response and opens its body. */
    public static SseWriter open(ServerResponse res) {
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "text/event-stream");
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        res.header(HeaderNames.create("X-Accel-Buffering"), "no");
        return new SseWriter(res.outputStream());
    }

    /** Wraps a stream that already carries SSE headers (tests, other transports). */
    public static SseWriter over(OutputStream out) {
        return new SseWriter(out);
    }

    /** Writes {@code data: <line>} for each line of {@code data}, then the blank line, and flushes. */
    public synchronized void data(String data) {
        if (data.indexOf('\n') < 0) {
            write("data: " + data + "\n\n");
            return;
        }
        StringBuilder event = new StringBuilder(data.length() + 16);
        for (String line : data.split("\n", -1)) {
            event.append("data: ").append(line).append('\n');
        }
        write(event.append('\n').toString());
    }

    /** Writes a named event. */
    public synchronized void event(String name, String data) {
        write("event: " + name + "\n");
        data(data);
    }

    /** Writes a comment line such as {@code : keep-alive}, which readers ignore but proxies see as traffic. */
    public synchronized void comment(String text) {
        write(": " + text + "\n\n");
    }

    private void write(String text) {
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
