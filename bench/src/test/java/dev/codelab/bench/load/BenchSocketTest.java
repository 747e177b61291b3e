package dev.codelab.bench.load;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The bench's own WebSocket client against Helidon's server: the three length forms, masking, ping → pong. */
class BenchSocketTest {

    @Test
    void echoesMessagesOfEveryLengthFormAndAnswersPings() throws Exception {
        CountDownLatch ponged = new CountDownLatch(1);
        List<String> authorizations = new CopyOnWriteArrayList<>();
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .addRouting(WsRouting.builder().endpoint("/ws/{id}", () -> new WsListener() {
                    @Override
                    public void onOpen(WsSession session) {
                        session.ping(BufferData.create(new byte[] {1, 2, 3}));
                    }

                    @Override
                    public void onMessage(WsSession session, String text, boolean last) {
                        session.send("echo:" + text, true);
                    }

                    @Override
                    public void onPong(WsSession session, BufferData buffer) {
                        ponged.countDown();
                    }

                    @Override
                    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
                        authorizations.add(
                                headers.first(HeaderNames.AUTHORIZATION).orElse(""));
                        return Optional.empty();
                    }
                }))
                .build()
                .start();
        try (BenchSocket socket = BenchSocket.open(URI.create("ws://127.0.0.1:" + server.port() + "/ws/s1"), "tok")) {
            List<String> sent = List.of("short", "m".repeat(300), "l".repeat(70_000));
            List<String> received = new CopyOnWriteArrayList<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    socket.read((text, arrival) -> received.add(text));
                } catch (IOException e) {
                    // closed by the test
                }
            });
            for (String text : sent) {
                socket.send(text);
            }
            assertThat("pong for the server's ping", ponged.await(5, TimeUnit.SECONDS), is(true));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (received.size() < sent.size() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(received, is(sent.stream().map(text -> "echo:" + text).toList()));
            assertThat(authorizations, is(List.of("Bearer tok")));
            socket.close();
            reader.join(5000);
        } finally {
            server.stop();
        }
    }
}
