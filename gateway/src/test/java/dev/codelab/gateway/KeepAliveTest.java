package dev.codelab.gateway;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import dev.codelab.shared.ratelimit.Redis;
import dev.codelab.shared.testing.WsClient;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.io.InputStream;
import java.net.Socket;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * Pings keep answering clients connected; a client that stays silent past the idle limit is closed; a socket whose
 * session's record names a newer socket is closed with 4409. Runs with a 1 s ping interval and a 3 s idle limit
 * instead of 30 s and 90 s.
 */
class KeepAliveTest extends GatewayTestBase {

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws Exception {
        serve(server, Map.of("gateway.ws-ping-interval-seconds", "1", "gateway.ws-idle-timeout-seconds", "3"));
    }

    @Test
    void clientThatAnswersPingsStaysConnected() throws Exception {
        String session = gateway.createSession("pong-user");
        try (WsClient ws = gateway.connect("/api/v1/ws/" + session, gateway.tokens.access("pong-user"))) {
            Thread.sleep(4500);
            assertThat(ws.pings(), greaterThan(1));
            assertThat(ws.isClosed(), is(false));
            ws.send(map("type", "user_message", "content", "still there"));
            assertThat(ws.next().path("type").asText(), is("done"));
        }
    }

    @Test
    void silentClientIsClosedAfterTheIdleLimit() throws Exception {
        String session = gateway.createSession("silent-user");
        try (Socket socket = gateway.openRaw(
                "/api/v1/ws/" + session, Map.of("Authorization", "Bearer " + gateway.tokens.access("silent-user")))) {
            InputStream in = socket.getInputStream();
            boolean sawPing = false;
            while (true) {
                int opcode = in.read() & 0x0f;
                int length = in.read() & 0x7f;
                byte[] payload = in.readNBytes(length);
                if (opcode == 0x9) {
                    sawPing = true;
                } else if (opcode == 0x8) {
                    assertThat(sawPing, is(true));
                    assertThat(((payload[0] & 0xff) << 8) | (payload[1] & 0xff), is(1000));
                    assertThat(new String(payload, 2, payload.length - 2), is("Idle timeout"));
                    return;
                }
            }
        }
    }

    @Test
    void aSocketWhoseSessionHasANewerSocketElsewhereIsClosedWith4409AtTheNextKeepAlive() throws Exception {
        String session = gateway.createSession("moved-user");
        try (JedisPooled redis = Redis.connect(gateway.redis.url());
                WsClient ws = gateway.connect("/api/v1/ws/" + session, gateway.tokens.access("moved-user"))) {
            // The socket records itself once open, which can be just after the upgrade's answer.
            await(() -> redis.get("gw:ws:socket:" + session) != null);
            long epoch = Long.parseLong(redis.get("gw:ws:socket:" + session).split(" ")[1]);
            // Written behind the live feed's back, as if its message about the newer socket had been lost.
            redis.set("gw:ws:socket:" + session, "0123456789abcdef " + (epoch + 1));
            assertThat(ws.awaitClose(), is(4409));
        }
    }

    @Test
    void vanishedClientGivesBackItsConnectionSlot() throws Exception {
        String session = gateway.createSession("vanished-user");
        try (JedisPooled redis = Redis.connect(gateway.redis.url())) {
            Socket socket = gateway.openRaw(
                    "/api/v1/ws/" + session,
                    Map.of("Authorization", "Bearer " + gateway.tokens.access("vanished-user")));
            assertThat(redis.zcard("gw:ws:conns:vanished-user"), is(1L));
            socket.setSoLinger(true, 0);
            socket.close();
            await(() -> redis.zcard("gw:ws:conns:vanished-user") == 0);
        }
    }
}
