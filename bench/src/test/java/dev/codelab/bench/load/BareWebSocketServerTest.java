package dev.codelab.bench.load;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.codelab.shared.config.ServiceConfig;
import io.helidon.webserver.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The floor of gateway-idle takes the gateway's upgrades, keeps them open, and does nothing else. */
class BareWebSocketServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static WebServer server;

    @BeforeAll
    static void start() {
        server = BareWebSocketServer.start(
                ServiceConfig.load("GATEWAY", Map.of(), Map.of("server.port", "0", "server.host", "127.0.0.1")));
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void anUpgradeOnTheGatewaysPathStaysOpenAndIsAnsweredOnlyAtTheProtocolLevel() throws Exception {
        CompletableFuture<ByteBuffer> pong = new CompletableFuture<>();
        CompletableFuture<CharSequence> text = new CompletableFuture<>();
        WebSocket socket = HTTP.newWebSocketBuilder()
                .header("Authorization", "Bearer not-checked")
                .buildAsync(
                        URI.create(base("ws") + ServiceProcesses.WEBSOCKET_PATH + "idle-1"), new WebSocket.Listener() {
                            @Override
                            public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
                                pong.complete(message);
                                return null;
                            }

                            @Override
                            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                                text.complete(data);
                                return null;
                            }
                        })
                .get(10, TimeUnit.SECONDS);

        socket.sendText("{\"type\":\"ping\"}", true).get(10, TimeUnit.SECONDS);
        socket.sendPing(ByteBuffer.wrap(new byte[] {7})).get(10, TimeUnit.SECONDS);

        assertThat(pong.get(10, TimeUnit.SECONDS).get(), is((byte) 7));
        assertThat(text.isDone(), is(false));
        assertThat(socket.isInputClosed(), is(false));
        socket.abort();
    }

    @Test
    void anUpgradeElsewhereIsRefused() {
        ExecutionException refused = assertThrows(
                ExecutionException.class,
                () -> HTTP.newWebSocketBuilder()
                        .buildAsync(URI.create(base("ws") + "/api/v1/other/x"), new WebSocket.Listener() {})
                        .get(10, TimeUnit.SECONDS));

        assertThat(refused.getCause(), instanceOf(WebSocketHandshakeException.class));
        assertThat(
                ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode(), is(404));
    }

    @Test
    void healthAnswers200() throws Exception {
        HttpResponse<String> health = HTTP.send(
                HttpRequest.newBuilder(URI.create(base("http") + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode(), is(200));
    }

    private static String base(String scheme) {
        return scheme + "://127.0.0.1:" + server.port();
    }
}
