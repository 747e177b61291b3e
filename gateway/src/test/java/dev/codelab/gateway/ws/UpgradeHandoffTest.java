package dev.codelab.gateway.ws;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.helidon.http.Headers;
import io.helidon.webserver.websocket.WsUpgrader;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsUpgradeException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The admission of an upgrade reaches the one listener Helidon creates for it, and no other. */
class UpgradeHandoffTest {

    private static final Admission ADMISSION =
            new Admission("user-1", "session-1", 2, null, "connection-1", true, "request-1");

    /** The upgrade answer needs none of the socket's parts. */
    private static final SocketContext CONTEXT =
            new SocketContext(null, null, null, null, null, null, 100, 1024, 16, Duration.ofSeconds(90));

    private final UpgradeHandoff handoff = new UpgradeHandoff();

    @Test
    void theListenerCreatedDuringTheUpgradeTakesTheAdmissionOnce() {
        AtomicReference<Optional<Admission>> first = new AtomicReference<>();
        AtomicReference<Optional<Admission>> second = new AtomicReference<>();

        boolean taken = handoff.handOver(ADMISSION, () -> {
            first.set(handoff.take());
            second.set(handoff.take());
        });

        assertThat(taken, is(true));
        assertThat(first.get(), is(Optional.of(ADMISSION)));
        assertThat(second.get(), is(Optional.empty()));
    }

    @Test
    void anUpgradeThatCreatedNoListenerReportsTheAdmissionNotTakenAndLeavesNothingBehind() {
        assertThat(handoff.handOver(ADMISSION, () -> {}), is(false));
        assertThat(handoff.take(), is(Optional.empty()));
    }

    @Test
    void anUpgradeWithoutAdmissionGetsAListenerThatRefusesIt() {
        WsListener listener = GatewaySocket.forUpgrade(CONTEXT, handoff.take());

        assertThrows(WsUpgradeException.class, () -> listener.onHttpUpgrade(null, null));
    }

    @Test
    void theBearerSubprotocolIsSelectedWhenTheTokenCameInIt() throws Exception {
        WsListener listener = GatewaySocket.forUpgrade(CONTEXT, Optional.of(ADMISSION));

        Headers selected = listener.onHttpUpgrade(null, null).orElseThrow();

        assertThat(selected.get(WsUpgrader.PROTOCOL).get(), is("bearer"));
    }
}
