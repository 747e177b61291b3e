package dev.codelab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.sse.SseEventReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Reading an OpenAI-style chunk stream the way llmproxy, the agent and the gateway do: lines → events →
 * JSON trees. One operation is one 100-token stream.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SseParseBenchmark {

    private List<String> lines;

    @Setup
    public void setUp() {
        lines = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            lines.add("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                    + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" token" + i
                    + "\"},\"finish_reason\":null}]}");
            lines.add("");
        }
        lines.add("data: [DONE]");
        lines.add("");
    }

    @Benchmark
    public void parseStream(Blackhole sink) throws Exception {
        SseEventReader reader = new SseEventReader(lines.iterator());
        var events = reader.iterator();
        while (events.hasNext()) {
            String data = events.next().data();
            if (!data.equals("[DONE]")) {
                JsonNode chunk = Json.read(data);
                sink.consume(chunk.path("choices")
                        .path(0)
                        .path("delta")
                        .path("content")
                        .asText());
            }
        }
    }
}
