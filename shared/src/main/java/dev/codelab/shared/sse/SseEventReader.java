package dev.codelab.shared.sse;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Turns the lines of a {@code text/event-stream} body into events, following the SSE rules: {@code data:}
 * lines are joined with {@code \n}, one optional space after the colon is dropped, an empty line dispatches,
 * comment lines ({@code :}) are skipped, fields other than {@code data} and {@code event} are ignored, and the
 * stream ends at end of input (an unterminated last event is dropped, as the SSE spec says).
 *
 * <p>Blocking by design: {@link #next()} reads lines from the source until an event is complete. Use it with
 * {@code HttpClient.send(request, BodyHandlers.ofLines())}: {@code new SseEventReader(response.body().iterator())}.
 */
public final class SseEventReader {

    private final Iterator<String> lines;

    public SseEventReader(Iterator<String> lines) {
        this.lines = lines;
    }

    /** The next complete event, or empty at the end of the stream. */
    public Optional<SseEvent> next() {
        StringBuilder data = null;
        String name = null;
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.isEmpty()) {
                if (data != null) {
                    return Optional.of(new SseEvent(name, data.toString()));
                }
                name = null;
                continue;
            }
            if (line.charAt(0) == ':') {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (field.equals("data")) {
                data = data == null
                        ? new StringBuilder(value)
                        : data.append('\n').append(value);
            } else if (field.equals("event")) {
                name = value;
            }
        }
        return Optional.empty();
    }

    /** Iterates the remaining events. */
    public Iterator<SseEvent> iterator() {
        return new Iterator<>() {
            private Optional<SseEvent> pending;

            @Override
            public boolean hasNext() {
                if (pending == null) {
                    pending = SseEventReader.this.next();
                }
                return pending.isPresent();
            }

            @Override
            public SseEvent next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                SseEvent event = pending.get();
                pending = null;
                return event;
            }
        };
    }

    /**
     * One server-sent event.
     *
     * @param name the {@code event:} field, or {@code null} for the default {@code message}
     * @param data the joined {@code data:} lines
     */
    public record SseEvent(String name, String data) {}
}
