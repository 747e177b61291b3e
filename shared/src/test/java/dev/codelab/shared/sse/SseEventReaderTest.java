package dev.codelab.shared.sse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.codelab.shared.sse.SseEventReader.SseEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseEventReaderTest {

    private static List<SseEvent> read(String body) {
        List<SseEvent> events = new ArrayList<>();
        new SseEventReader(body.lines().iterator()).iterator().forEachRemaining(events::add);
        return events;
    }

    @Test
    void followsTheSseLineRules() {
        String body = """
                : keep-alive

                data: {"a":1}

                data:no-space
                data:  two spaces

                event: custom
                id: 7
                retry: 100
                data: x

                data: unterminated""";

        assertThat(
                read(body),
                is(List.of(
                        new SseEvent(null, """
                                {"a":1}"""),
                        new SseEvent(null, "no-space\n two spaces"),
                        new SseEvent("custom", "x"))));
    }

    @Test
    void blankLinesWithoutDataDispatchNothing() {
        assertThat(read("\n\n: c\n\nevent: lonely\n\n"), is(List.of()));
    }

    @Test
    void writerOutputReadsBackAsTheSameEvents() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SseWriter writer = SseWriter.over(out);
        writer.data("""
                {"type":"done"}""");
        writer.comment("keep-alive");
        writer.data("line one\nline two");
        writer.event("error", "{}");

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(
                text,
                is("data: {\"type\":\"done\"}\n\n: keep-alive\n\ndata: line one\ndata: line two\n\n"
                        + "event: error\ndata: {}\n\n"));
        assertThat(
                read(text),
                is(List.of(
                        new SseEvent(null, """
                                {"type":"done"}"""),
                        new SseEvent(null, "line one\nline two"),
                        new SseEvent("error", "{}"))));
    }
}
