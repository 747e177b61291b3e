package dev.codelab.systemtests.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.http.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
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

/** A test IDE on the JDK WebSocket client: every server frame as JSON (or a marker when not JSON), and the close. */
public final class IdeSocket implements AutoCloseable {

    private static final int TRANSCRIPT_LINES = 200;

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private final Deque<String> transcript = new ArrayDeque<>();
    private WebSocket socket;

    public static IdeSocket open(HttpClient http, URI uri, String token) {
        IdeSocket ide = new IdeSocket();
        ide.socket = http.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .buildAsync(uri, ide.listener())
                .join();
        return ide;
    }

    public void send(String text) {
        record("C: " + text);
        socket.sendText(text, true).join();
    }

    /** The last frames sent and received, oldest first, one per line: what a failure report shows. */
    synchronized String transcript() {
        return String.join("\n", transcript);
    }

    private synchronized void record(String line) {
        transcript.addLast(line.length() <= 400 ? line : line.substring(0, 400) + "...(" + line.length() + " chars)");
        if (transcript.size() > TRANSCRIPT_LINES) {
            transcript.removeFirst();
        }
    }

    /** The next frame, or null when none arrived within {@code seconds}. */
    JsonNode poll(long seconds) throws InterruptedException {
        return frames.poll(seconds, TimeUnit.SECONDS);
    }

    JsonNode next() throws InterruptedException {
        JsonNode frame = poll(30);
        if (frame == null) {
            throw new AssertionError(
                    "no frame within 30 s" + (closed.isDone() ? "; socket closed " + closed.join() : ""));
        }
        return frame;
    }

    /** Frames up to and including the first {@code done}. */
    public List<JsonNode> untilDone() throws InterruptedException {
        List<JsonNode> turn = new ArrayList<>();
        while (true) {
            JsonNode frame = poll(30);
            if (frame == null) {
                throw new AssertionError("no done within 30 s; the turn so far: " + turn);
            }
            turn.add(frame);
            if (frame.path("type").asText().equals("done")) {
                return turn;
            }
        }
    }

    boolean isOpen() {
        return !closed.isDone() && !socket.isInputClosed();
    }

    /** The close code, once the server closed the socket. */
    CompletableFuture<Integer> closed() {
        return closed;
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
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
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closed.complete(-1);
            }
        };
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "test done");
        }
        socket.abort();
    }
}
