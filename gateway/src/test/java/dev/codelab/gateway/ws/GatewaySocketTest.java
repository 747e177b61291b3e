package dev.codelab.gateway.ws;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.codelab.shared.ratelimit.RateLimiter;
import dev.codelab.shared.ratelimit.Redis;
import dev.codelab.shared.testing.TestInfra;
import io.helidon.websocket.WsListener;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * A failure no rule covers closes the socket with 1011 (docs/protocol.md, close codes): here the frame rate
 * limiter's Redis answers with an exception it never should, the way a bug or a broken dependency would.
 */
class GatewaySocketTest {

    @Test
    void anUnexpectedFailureWhileHandlingAFrameClosesTheSocketWith1011() throws Exception {
        JedisPooled redis = Redis.connect(TestInfra.redisUrl());
        JedisPooled broken = new JedisPooled("127.0.0.1", 1) {
            @Override
            public Object eval(String script, List<String> keys, List<String> args) {
                throw new IllegalStateException("a reply of a type the script never returns");
            }
        };
        Duration idle = Duration.ofSeconds(90);
        AwaitedCalls awaited = new AwaitedCalls(redis);
        try (Outbox outbox = new Outbox(redis, "replica-1", 1000, Duration.ofMinutes(5));
                SocketRegistry registry = new SocketRegistry(
                        outbox,
                        new TurnClaims(outbox, redis, "replica-1"),
                        new SocketEvents(redis, "replica-1"),
                        TestInfra.redisUrl(),
                        "replica-1")) {
            SocketContext context = new SocketContext(
                    registry,
                    new ConnectionLimits(redis, 10, idle, true),
                    new RateLimiter(broken, true),
                    awaited,
                    new SocketEvents(redis, "replica-1"),
                    null,
                    100,
                    4 * 1024 * 1024,
                    4096,
                    idle);
            Admission admission = new Admission(
                    "user-1",
                    "session-" + UUID.randomUUID(),
                    2,
                    null,
                    UUID.randomUUID().toString(),
                    false,
                    "request-1");
            UpgradeHandoff handoff = new UpgradeHandoff();
            AtomicReference<WsListener> listener = new AtomicReference<>();
            assertThat(
                    handoff.handOver(admission, () -> listener.set(GatewaySocket.forUpgrade(context, handoff.take()))),
                    is(true));
            GatewaySocket socket = (GatewaySocket) listener.get();
            assertThat(socket.onHttpUpgrade(null, null), is(Optional.empty()));
            RecordingSession session = new RecordingSession();
            socket.onOpen(session);

            socket.onMessage(session, """
                    {"type":"user_message","content":"hello"}""", true);

            assertThat(session.closeCode.get(5, TimeUnit.SECONDS), is(GatewaySocket.INTERNAL_ERROR));
        }
    }
}
