package dev.codelab.gateway.ws;

import io.helidon.common.buffers.BufferData;
import io.helidon.websocket.WsSession;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A WebSocket session that records the text frames and pings sent to it and how the server closed it. */
final class RecordingSession implements WsSession {

    final List<String> sent = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    int pings;
    /** Runs for each text frame before it is recorded; it may throw, as a broken connection does. */
    private volatile Consumer<String> onSend = text -> {};

    private volatile RuntimeException pingFailure;

    void onSend(Consumer<String> action) {
        onSend = action;
    }

    void failPings(RuntimeException failure) {
        pingFailure = failure;
    }

    @Override
    public WsSession send(String text, boolean last) {
        onSend.accept(text);
        sent.add(text);
        return this;
    }

    @Override
    public WsSession send(BufferData bufferData, boolean last) {
        throw new UnsupportedOperationException("the gateway sends text frames only");
    }

    @Override
    public WsSession ping(BufferData bufferData) {
        if (pingFailure != null) {
            throw pingFailure;
        }
        pings++;
        return this;
    }

    @Override
    public WsSession pong(BufferData bufferData) {
        return this;
    }

    @Override
    public WsSession close(int code, String reason) {
        closeCode.complete(code);
        return this;
    }

    @Override
    public WsSession terminate() {
        closeCode.complete(-1);
        return this;
    }

    @Override
    public io.helidon.common.socket.SocketContext socketContext() {
        throw new UnsupportedOperationException();
    }
}
