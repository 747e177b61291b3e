package dev.codelab.cli.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.http.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One IDE WebSocket of a check: sends client frames, hands out server frames in arrival order and tells how the
 * server closed the socket. Not the tests' {@code WsClient} (shared test jar): this is shipped code of an operator's
 * tool, whose failures are {@link CheckFailed} reports rather than assertion errors, that waits a minute for a
 * frame of a remote deployment, and that tells a broken socket from a closed one.
 */
public final class CheckSocket implements WebSocket.Listener, AutoCloseable {

    private static final Duration FRAME_WAIT = Duration.ofSeconds(60);

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private WebSocket ws;

    private CheckSocket() {}

    static CheckSocket open(HttpClient http, URI url, String access) throws Exception {
        CheckSocket socket = new CheckSocket();
        socket.ws = http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + access)
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(url, socket)
                .get(10, TimeUnit.SECONDS);
        return socket;
    }

    public void send(String frame) {
        ws.sendText(frame, true).join();
    }

    /** The next server frame; fails when none comes within a minute. */
    public JsonNode next() throws InterruptedException {
        JsonNode frame = frames.poll(FRAME_WAIT.toSeconds(), TimeUnit.SECONDS);
        if (frame == null) {
            throw new CheckFailed("no frame for " + FRAME_WAIT.toSeconds() + " s");
        }
        return frame;
    }

    /** The frames up to and including the next {@code done}, error frames included. */
    public List<JsonNode> framesUntilDone() throws InterruptedException {
        List<JsonNode> turn = new ArrayList<>();
        while (true) {
            JsonNode frame = frames.poll(FRAME_WAIT.toSeconds(), TimeUnit.SECONDS);
            if (frame == null) {
                throw new CheckFailed("no frame for " + FRAME_WAIT.toSeconds() + " s; got so far " + turn);
            }
            turn.add(frame);
            if (isType(frame, "done")) {
                return turn;
            }
        }
    }

    /** The frames up to and including the next {@code done}; fails on an error frame. */
    public List<JsonNode> untilDone() throws InterruptedException {
        List<JsonNode> turn = framesUntilDone();
        turn.stream().filter(frame -> isType(frame, "error")).findFirst().ifPresent(error -> {
            throw new CheckFailed("error frame: " + error);
        });
        return turn;
    }

    /** The close code the server sent; fails when the socket is still open after {@code wait}. */
    public int closedByServer(Duration wait) throws Exception {
        try {
            return closeCode.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new CheckFailed("the socket is still open after " + wait.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new CheckFailed("the socket broke instead of being closed: " + e.getCause());
        }
    }

    /** Cuts the connection without a close handshake, as a network failure would. */
    public void abort() {
        ws.abort();
    }

    @Override
    public void close() {
        if (!ws.isOutputClosed()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "check done");
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            try {
                frames.add(Json.read(partial.toString()));
            } catch (Exception e) {
                frames.add(Json.MAPPER
                        .createObjectNode()
                        .put("type", "unparseable")
                        .put("text", partial.toString()));
            }
            partial.setLength(0);
        }
        socket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
        closeCode.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
        closeCode.completeExceptionally(error);
    }

    public static boolean isType(JsonNode frame, String type) {
        return type.equals(frame.path("type").asText());
    }

    /** The first frame of {@code type} in {@code turn}. */
    public static JsonNode find(List<JsonNode> turn, String type) {
        return turn.stream()
                .filter(f -> isType(f, type))
                .findFirst()
                .orElseThrow(() -> new CheckFailed("no " + type + " frame in " + turn));
    }
}
