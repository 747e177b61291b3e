package dev.codelab.llmproxy.provider;

import dev.codelab.shared.sse.SseEventReader;
import java.util.Iterator;

/** How the events of a streamed provider answer are laid out in its body's lines. */
public enum StreamFraming {

    /** {@code text/event-stream}: OpenAI and Anthropic. Comments (OpenRouter's processing notes) are skipped. */
    SSE {
        @Override
        boolean feed(Iterator<String> lines, StreamMapper mapper) {
            SseEventReader events = new SseEventReader(lines);
            for (var event = events.next(); event.isPresent(); event = events.next()) {
                if (mapper.event(event.get().name(), event.get().data())) {
                    return true;
                }
            }
            return false;
        }
    },

    /** One JSON object a line, blank lines skipped: Ollama. */
    NDJSON {
        @Override
        boolean feed(Iterator<String> lines, StreamMapper mapper) {
            while (lines.hasNext()) {
                String line = lines.next();
                if (!line.isBlank() && mapper.event(null, line)) {
                    return true;
                }
            }
            return false;
        }
    };

    /** Hands each event of the body to {@code mapper} until one ends the answer; false when the body ended first. */
    abstract boolean feed(Iterator<String> lines, StreamMapper mapper);
}
