package dev.codelab.bench.load;

import dev.codelab.shared.config.ServiceConfig;
import dev.codelab.shared.server.CodeLabService;
import dev.codelab.shared.server.ServiceServer;
import io.helidon.common.buffers.BufferData;
import io.helidon.config.Config;
import io.helidon.logging.common.LogConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import java.util.List;

/**
 * The floor of {@link GatewayIdle}: a Helidon server configured as the gateway is ({@code gateway.yaml} and the
 * {@code GATEWAY__*} environment, so plain sockets and the same WebSocket limits), built by the same
 * {@link ServiceServer}, whose endpoint at the gateway's WebSocket path accepts every upgrade and only answers
 * pings. What an idle socket costs it is what Helidon and the JDK hold per connection; what the gateway holds beyond
 * that is its own. {@link ServiceProcesses} runs it in a JVM of its own with the gateway's JVM options.
 */
public final class BareWebSocketServer implements CodeLabService {

    static final String NAME = "bare-websocket";

    /** Answers a ping, as the protocol asks of every endpoint (Helidon leaves that to the listener), and no more. */
    private static final WsListener ANSWERS_PINGS = new WsListener() {
        @Override
        public void onPing(WsSession session, BufferData buffer) {
            session.pong(buffer);
        }
    };

    public static void main(String[] args) {
        LogConfig.configureRuntime();
        start(ServiceConfig.load("GATEWAY"));
    }

    static WebServer start(Config config) {
        return ServiceServer.start(config.get("server"), NAME, List.of(new BareWebSocketServer()));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.get("/health", (req, res) -> res.send("ok"));
    }

    @Override
    public void websockets(WsRouting.Builder ws) {
        ws.endpoint(ServiceProcesses.WEBSOCKET_PATH + "{session_id}", ANSWERS_PINGS);
    }

    @Override
    public boolean hasWebsockets() {
        return true;
    }
}
