package dev.codelab.bench.load;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The bench's plain-socket SSE reader, against the paced upstream and against a server speaking the agent's events. */
class DirectStreamsTest {

    private static final byte[] REQUEST =
            "POST /stream HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII);

    @Test
    void readsEveryStampedTokenOfTheUpstreamOnce() throws Exception {
        try (PacedUpstream upstream = PacedUpstream.start()) {
            TokenStreams.Level level = DirectStreams.run(upstream, 3, 200, 5);

            assertThat(level.latencies().length, is(15));
            assertThat(level.lost() + level.misplaced() + level.errors(), is(0L));
        }
    }

    @Test
    void readsTheAgentsTokensFromItsMessageFramesNotAgainFromTheWholeText() throws Exception {
        WebServer server = agentLike(true);
        try {
            TokenStreams.Level level = DirectStreams.run(events(server), 2, 100, 2);

            assertThat(level.latencies().length, is(4));
            assertThat(level.lost() + level.misplaced() + level.errors(), is(0L));
        } finally {
            server.stop();
        }
    }

    @Test
    void aStreamCutOffBeforeItsEndIsAFailedStream() throws Exception {
        WebServer server = agentLike(false);
        try {
            TokenStreams.Level level = DirectStreams.run(events(server), 1, 100, 2);

            assertThat(level.errors(), is(1L));
        } finally {
            server.stop();
        }
    }

    private static DirectStreams.Source events(WebServer server) {
        return new DirectStreams.Source(server.port(), () -> REQUEST, true);
    }

    /** Two stamped tokens, the message's final frame with the whole text, and {@code done}; or cut off after one. */
    private static WebServer agentLike(boolean whole) {
        return WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .addRouting(HttpRouting.builder().post("/stream", (req, res) -> {
                    res.header("Content-Type", "text/event-stream");
                    OutputStream out = res.outputStream();
                    event(out, "{\"type\":\"assistant_message\",\"token\":\"~0@" + System.nanoTime() + ";\"}");
                    if (!whole) {
                        throw new IllegalStateException("cut off mid-stream");
                    }
                    String second = "~1@" + System.nanoTime() + ";";
                    event(out, "{\"type\":\"assistant_message\",\"token\":\"" + second + "\"}");
                    event(
                            out,
                            "{\"type\":\"assistant_message\",\"token\":\"\",\"is_final\":true,\"content\":\"~0@1;"
                                    + second + "\"}");
                    event(out, "{\"type\":\"done\",\"reason\":\"completed\"}");
                    out.close();
                }))
                .build()
                .start();
    }

    private static void event(OutputStream out, String json) throws IOException {
        out.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
