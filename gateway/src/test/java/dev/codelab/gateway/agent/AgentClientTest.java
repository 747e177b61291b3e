package dev.codelab.gateway.agent;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's own promises, against a local HTTP server: a stream closed from another thread stops a blocked
 * read at once and its connection is not reused, many streams run at once, and each failure gets its status.
 */
class AgentClientTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    private final List<Integer> clientPorts = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private volatile StreamHandler stream;
    private AgentClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
        client = new AgentClient(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "key", LONG, LONG);
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    @Test
    void restCallsReuseTheirConnectionAndSendTheInternalHeaders() throws Exception {
        AgentClient.AgentResponse first = client.send("GET", "/sessions?user_id=a%20b", "user-1", "req-1", null);
        AgentClient.AgentResponse second = client.send("POST", "/sessions", "user-1", "req-2", "{}");
        String firstSeen = """
                {"path":"/sessions","query":"user_id=a%20b","key":"key","user":"user-1","request":"req-1",\
                "type":null}""";
        String secondSeen = """
                {"path":"/sessions","query":null,"key":"key","user":"user-1","request":"req-2",\
                "type":"application/json"}""";
        assertThat(first, is(new AgentClient.AgentResponse(200, firstSeen)));
        assertThat(second.body(), is(secondSeen));
        assertThat(clientPorts.get(1), is(clientPorts.get(0)));
    }

    @Test
    void closingAStreamFromAnotherThreadEndsABlockedReadAndDropsTheConnection() throws Exception {
        CountDownLatch aborted = new CountDownLatch(1);
        CountDownLatch upstreamClosed = new CountDownLatch(1);
        stream = (exchange, out) -> {
            out.write("data: {\"type\":\"first\"}\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            await(aborted);
            try {
                for (int i = 0; i < 100; i++) {
                    out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    Thread.sleep(20);
                }
            } catch (IOException e) {
                upstreamClosed.countDown();
            }
        };
        AgentStream answer = client.openStream("user-1", "req-1", "{}");
        Iterator<String> lines = answer.lines();
        assertThat(lines.next(), is("data: {\"type\":\"first\"}"));
        assertThat(lines.next(), is(""));
        Thread.ofVirtual().start(() -> {
            sleep(200);
            answer.close();
        });
        RuntimeException failure = assertThrows(RuntimeException.class, lines::hasNext);
        assertThat("ended by the close, not by the 30 s read timeout", AgentClient.isTimeout(failure), is(false));
        aborted.countDown();
        await(upstreamClosed);

        client.send("GET", "/after", "user-1", "req-2", null);
        assertThat(clientPorts.get(1), is(not(clientPorts.get(0))));
    }

    @Test
    void manyStreamsRunAtOnce() throws Exception {
        int streams = 120;
        CountDownLatch allArrived = new CountDownLatch(streams);
        stream = (exchange, out) -> {
            allArrived.countDown();
            if (allArrived.await(20, TimeUnit.SECONDS)) {
                out.write("data: {\"type\":\"done\"}\n\n".getBytes(StandardCharsets.UTF_8));
            }
        };
        AtomicInteger served = new AtomicInteger();
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            readers.add(Thread.ofVirtual().start(() -> {
                try (AgentStream answer = client.openStream("user-1", "req", "{}")) {
                    if (answer.lines().next().equals("data: {\"type\":\"done\"}")) {
                        served.incrementAndGet();
                    }
                } catch (IOException | RuntimeException e) {
                    // counted as not served
                }
            }));
        }
        for (Thread reader : readers) {
            reader.join();
        }
        assertThat(served.get(), is(streams));
    }

    @Test
    void aStreamThatFallsSilentEndsWithAReadTimeout() throws Exception {
        CountDownLatch finished = new CountDownLatch(1);
        stream = (exchange, out) -> {
            out.write("data: {\"type\":\"first\"}\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            await(finished);
        };
        AgentClient impatient = new AgentClient(baseUrl(), "key", LONG, Duration.ofSeconds(1));
        try (impatient;
                AgentStream answer = impatient.openStream("user-1", "req-1", "{}")) {
            Iterator<String> lines = answer.lines();
            lines.next();
            lines.next();
            assertThat(AgentClient.isTimeout(assertThrows(RuntimeException.class, lines::hasNext)), is(true));
        } finally {
            finished.countDown();
        }
    }

    @Test
    void noAnswerInTimeIs504AndATimeoutForTheStream() throws Exception {
        CountDownLatch finished = new CountDownLatch(1);
        stream = (exchange, out) -> await(finished);
        AgentClient impatient = new AgentClient(baseUrl(), "key", Duration.ofSeconds(1), Duration.ofSeconds(1));
        try (impatient) {
            assertUpstream(() -> impatient.send("GET", "/slow", "user-1", "req-1", null), 504, "gateway_timeout");
            IOException failure = assertThrows(IOException.class, () -> impatient.openStream("user-1", "req-2", "{}"));
            assertThat(AgentClient.isTimeout(failure), is(true));
        } finally {
            finished.countDown();
        }
    }

    @Test
    void anAgentThatCannotBeReachedIs503AndNoTimeout() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        for (String url : List.of("http://127.0.0.1:" + closedPort, "http://agent.invalid:8001")) {
            try (AgentClient unreachable = new AgentClient(URI.create(url), "key", LONG, LONG)) {
                assertUpstream(
                        () -> unreachable.send("GET", "/agents", "user-1", "req-1", null), 503, "service_unavailable");
                IOException failure =
                        assertThrows(IOException.class, () -> unreachable.openStream("user-1", "req-2", "{}"));
                assertThat(AgentClient.isTimeout(failure), is(false));
                assertThat(unreachable.isHealthy(), is(false));
            }
        }
    }

    /** Linux drops connection attempts while a listener's accept queue is full, so the connect times out. */
    @Test
    void aConnectTimeoutIs503NotATimeout() throws Exception {
        try (ServerSocket neverAccepts = new ServerSocket()) {
            neverAccepts.bind(new InetSocketAddress("127.0.0.1", 0), 1);
            List<Socket> queued = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Socket socket = new Socket();
                    queued.add(socket);
                    socket.connect(neverAccepts.getLocalSocketAddress(), 300);
                }
            } catch (IOException e) {
                // the queue is full
            }
            try (AgentClient stuck =
                    new AgentClient(URI.create("http://127.0.0.1:" + neverAccepts.getLocalPort()), "key", LONG, LONG)) {
                assertUpstream(() -> stuck.send("GET", "/agents", "user-1", "req-1", null), 503, "service_unavailable");
            } finally {
                for (Socket socket : queued) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void anAnswerThatBreaksHttpIs502() throws Exception {
        try (ServerSocket hangsUp = new ServerSocket(0)) {
            Thread.ofVirtual().start(() -> {
                try (Socket socket = hangsUp.accept()) {
                    socket.getInputStream().read(new byte[4096]);
                    socket.getOutputStream()
                            .write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"cut"
                                    .getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // the test fails on its own
                }
            });
            try (AgentClient broken =
                    new AgentClient(URI.create("http://127.0.0.1:" + hangsUp.getLocalPort()), "key", LONG, LONG)) {
                assertUpstream(() -> broken.send("GET", "/agents", "user-1", "req-1", null), 502, "bad_gateway");
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            if (path.equals("/agent/message/stream")) {
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                stream.play(exchange, exchange.getResponseBody());
                return;
            }
            if (path.equals("/slow")) {
                sleep(3000);
            }
            String body = "{\"path\":\"" + path + "\",\"query\":"
                    + quoted(exchange.getRequestURI().getRawQuery())
                    + ",\"key\":" + quoted(exchange.getRequestHeaders().getFirst("X-Internal-Auth"))
                    + ",\"user\":" + quoted(exchange.getRequestHeaders().getFirst("X-User-Id"))
                    + ",\"request\":" + quoted(exchange.getRequestHeaders().getFirst("X-Request-Id"))
                    + ",\"type\":" + quoted(exchange.getRequestHeaders().getFirst("Content-Type")) + "}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static String quoted(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }

    private static void assertUpstream(Runnable call, int status, String code) {
        AgentFailedException failure = assertThrows(AgentFailedException.class, call::run);
        assertThat(failure.status().code(), is(status));
        assertThat(failure.code(), is(code));
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS), is(true));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the server streams for one {@code POST /agent/message/stream}, after the 200 headers. */
    @FunctionalInterface
    private interface StreamHandler {
        void play(HttpExchange exchange, OutputStream out) throws IOException, InterruptedException;
    }
}
