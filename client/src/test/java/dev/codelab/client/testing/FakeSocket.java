package dev.codelab.client.testing;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import java.util.Optional;

/** One upgraded socket of the fake gateway. */
final class FakeSocket implements WsListener {

    private final FakeCodeLab fake;
    private FakeSession session;
    private long lastSeq;

    FakeSocket(FakeCodeLab fake) {
        this.fake = fake;
    }

    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
        String path = prologue.uriPath().path();
        session = fake.session(path.substring(path.lastIndexOf('/') + 1));
        lastSeq = Long.parseLong(prologue.query().first("last_seq").orElse("0"));
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession socket) {
        session.attach(socket, lastSeq);
    }

    @Override
    public void onMessage(WsSession socket, String text, boolean last) {
        session.receive(FakeCodeLab.read(text));
    }

    @Override
    public void onClose(WsSession socket, int status, String reason) {
        session.detach(socket);
    }

    @Override
    public void onError(WsSession socket, Throwable t) {
        session.detach(socket);
    }
}
