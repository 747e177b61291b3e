package dev.codelab.shared.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.http.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The tests' IDE on the JDK WebSocket client, for one gateway as for a whole stack: every server frame as JSON
 * (a frame that is not JSON as {@code {"type":"<not json>","text":...}}), the close code, the pings, and a
 * transcript of the last frames both ways for failure reports. Waiting for a frame fails after ten seconds, or
 * after {@link #waitingUpTo} (the system tests, whose stacks answer slower under load, wait 30 s).
 */
public final class WsClient implements AutoCloseable {

    private static final int TRANSCRIPT_LINES = 200;

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final Deque<String> transcript = new ArrayDeque<>();
    private volatile Duration frameWait = Duration.ofSeconds(10);
    private volatile int pings;
    private volatile boolean paused;
    private volatile boolean demandOwed;
    private WebSocket socket;

    /** A socket whose handshake {@code customize} may add to (headers, subprotocols). */
    public static WsClient open(HttpClient http, URI uri, Consumer<WebSocket.Builder> customize) {
        WsClient client = new WsClient();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        customize.accept(builder);
        client.socket = builder.buildAsync(uri, client.listener()).join();
        return client;
    }

    /** A socket that logs in with {@code Authorization: Bearer <token>}. */
    public static WsClient open(HttpClient http, URI uri, String token) {
        return open(http, uri, b -> b.header("Authorization", "Bearer " + token));
    }

    /** How long {@link #next()} and {@link #untilDone()} wait for a frame from now on. */
    public WsClient waitingUpTo(Duration wait) {
        frameWait = wait;
        return this;
    }

    public void send(Object frame) {
        sendText(frame instanceof String text ? text : Json.write(frame));
    }

    public void sendText(String text) {
        record("C: " + text);
        socket.sendText(text, true).join();
    }

    public void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    /** The next server frame, or null when none arrived within {@code seconds}. */
    public JsonNode poll(long seconds) {
        try {
            return frames.poll(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next server frame; fails after the frame wait. */
    public JsonNode next() {
        JsonNode frame = poll(frameWait.toSeconds());
        if (frame == null) {
            throw new AssertionError("No frame within " + frameWait.toSeconds() + " s"
                    + (closeCode.isDone() ? "; socket closed " + closeCode.join() : ""));
        }
        return frame;
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
        List<JsonNode> turn = new ArrayList<>();
        while (true) {
            JsonNode frame = poll(frameWait.toSeconds());
            if (frame == null) {
                throw new AssertionError("No done within " + frameWait.toSeconds() + " s; the turn so far: " + turn);
            }
            turn.add(frame);
            if (frame.path("type").asText().equals("done")) {
                return turn;
            }
        }
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
            return closeCode.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("Socket not closed by the server", e);
        }
    }

    /** The close code once the server closed the socket (-1 when it broke). */
    public CompletableFuture<Integer> closed() {
        return closeCode;
    }

    public boolean isClosed() {
        return closeCode.isDone();
    }

    public boolean isOpen() {
        return !closeCode.isDone() && !socket.isInputClosed();
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

    /** The last frames sent and received, oldest first, one per line: what a failure report shows. */
    public synchronized String transcript() {
        return String.join("\n", transcript);
    }

    private synchronized void record(String line) {
        transcript.addLast(line.length() <= 400 ? line : line.substring(0, 400) + "...(" + line.length() + " chars)");
        if (transcript.size() > TRANSCRIPT_LINES) {
            transcript.removeFirst();
        }
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
                    record("S: " + partial);
                    try {
                        frames.add(Json.read(partial.toString()));
                    } catch (Exception e) {
                        frames.add(Json.MAPPER
                                .createObjectNode()
                                .put("type", "<not json>")
                                .put("text", partial.toString()));
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
