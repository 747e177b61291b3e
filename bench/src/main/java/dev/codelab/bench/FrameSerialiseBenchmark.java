package dev.codelab.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.shared.http.Json;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What the gateway does to each agent event on its way to the WebSocket (AgentStreamPipe → SessionChannel.emit
 * → FrameOutput.stored): parse the SSE data into a tree, write it without {@code seq} for the Redis outbox,
 * stamp {@code seq}, write it again for the socket. {@code stampOnce} is the cheaper shape (one write, the seq
 * spliced into the text) for comparison. One operation is one {@code assistant_message} token frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FrameSerialiseBenchmark {

    private static final String EVENT =
            "{\"type\":\"assistant_message\",\"token\":\" the widget\",\"is_final\":false,\"agent_name\":\"coder\"}";
    private long seq;

    @Benchmark
    public String gatewayEmit() throws Exception {
        ObjectNode frame = (ObjectNode) Json.read(EVENT);
        frame.remove("seq");
        String stored = Json.write(frame);
        frame.put("seq", ++seq);
        return stored.length() > 0 ? Json.write(frame) : "";
    }

    @Benchmark
    public String stampOnce() throws Exception {
        ObjectNode frame = (ObjectNode) Json.read(EVENT);
        frame.remove("seq");
        String stored = Json.write(frame);
        return stored.substring(0, stored.length() - 1) + ",\"seq\":" + (++seq) + "}";
    }
}
