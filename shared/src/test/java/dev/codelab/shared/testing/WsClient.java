package dev.codelab.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A test IDE on the JDK WebSocket client: collects every server frame as JSON and the close code.
 */
public final class WsClient implements AutoCloseable {

    private static final long WAIT_SECONDS = 10;

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile int pings;
    private volatile boolean paused;
    private volatile boolean demandOwed;
    private WebSocket socket;

    static WsClient open(HttpClient http, URI uri, Consumer<WebSocket.Builder> customize) {
        WsClient client = new WsClient();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        customize.accept(builder);
        client.socket = builder.buildAsync(uri, client.listener()).join();
        return client;
    }

    public void send(Object frame) {
        sendText(frame instanceof String text ? text : Json.write(frame));
    }

    public void sendText(String text) {
        socket.sendText(text, true).join();
    }

    public void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    /** The next server frame; fails after ten seconds. */
    public JsonNode next() {
        try {
            JsonNode frame = frames.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            if (frame == null) {
                throw new AssertionError("No frame within " + WAIT_SECONDS + " s");
            }
            return frame;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next {@code n} frames. */
    public List<JsonNode> next(int n) {
        List<JsonNode> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(next());
        }
        return list;
    }

    /** Frames up to and including the first {@code done}. */
    public List<JsonNode> untilDone() {
        List<JsonNode> list = new ArrayList<>();
        JsonNode frame;
        do {
            frame = next();
            list.add(frame);
        } while (!frame.path("type").asText().equals("done"));
        return list;
    }

    /** Asserts that no frame arrives for {@code millis}. */
    public void expectSilence(long millis) {
        try {
            JsonNode frame = frames.poll(millis, TimeUnit.MILLISECONDS);
            if (frame != null) {
                throw new AssertionError("Unexpected frame " + frame);
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The close code the server sent; fails after ten seconds. */
    public int awaitClose() {
        try {
            return closeCode.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("Socket not closed by the server", e);
        }
    }

    public boolean isClosed() {
        return closeCode.isDone();
    }

    /** The subprotocol the server selected ("" for none). */
    public String subprotocol() {
        return socket.getSubprotocol();
    }

    public int pings() {
        return pings;
    }

    /** Stops reading from the network after the current message: a client that falls behind. */
    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
        if (demandOwed) {
            demandOwed = false;
            socket.request(1);
        }
    }

    /** Takes frames until the server closes the socket; returns how many arrived. */
    public int drainUntilClosed() {
        int count = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!closeCode.isDone() || !frames.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Socket still open after " + count + " frames");
            }
            try {
                if (frames.poll(100, TimeUnit.MILLISECONDS) != null) {
                    count++;
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        return count;
    }

    /** Drops the connection without a close handshake (a client that vanished). */
    public void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
        socket.abort();
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        frames.add(Json.read(partial.toString()));
                    } catch (IOException e) {
                        frames.add(Json.MAPPER.createObjectNode().put("unparseable", partial.toString()));
                    }
                    partial.setLength(0);
                }
                if (paused) {
                    demandOwed = true;
                } else {
                    webSocket.request(1);
                }
                return null;
            }

            @Override
            public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
                pings++;
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closeCode.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closeCode.complete(-1);
            }
        };
    }
}
