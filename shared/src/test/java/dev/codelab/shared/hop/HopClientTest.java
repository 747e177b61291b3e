package dev.codelab.shared.hop;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The promises of one hop's client, against a local HTTP server: the JVM's proxy settings are ignored, a failure
 * names its exchange and says what kind it is, and the read timeout counts only time spent blocked in a read.
 */
class HopClientTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private HopClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                out.write("first\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (exchange.getRequestURI().getPath().equals("/silent")) {
                    release.await(10, TimeUnit.SECONDS);
                }
                out.write("second\n".getBytes(StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        client = new HopClient("agent", Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        release.countDown();
        client.close();
        server.stop(0);
    }

    /**
     * The JDK reads both once per JVM, when its first client is built: in a service that is a hop's client, as no
     * other code of a service builds one (an operator's own {@code -D} wins).
     */
    @Test
    void theJdkClientIsTunedForTheWholeJvmBeforeItsFirstClient() {
        assertThat(System.getProperty(HopClient.SELECTOR_TIMEOUT), is("1000"));
        assertThat(System.getProperty(HopClient.POOL_SIZE), is("128"));
    }

    @Test
    void theJvmsProxySettingsAreIgnored() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        ProxySelector before = ProxySelector.getDefault();
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                asked.incrementAndGet();
                return List.of(new Proxy(Proxy.Type.HTTP, new InetSocketAddress("127.0.0.1", closedPort())));
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException e) {}
        });
        try (HopClient fresh = new HopClient("agent", Duration.ofSeconds(5));
                HopResponse response = fresh.exchange(get("/direct"), LONG, "r-1")) {
            assertThat(response.text(), is("first\nsecond\n"));
            assertThat(asked.get(), is(0));
        } finally {
            ProxySelector.setDefault(before);
        }
    }

    @Test
    void aFailureNamesItsExchangeAndItsKind() throws Exception {
        HopClient unreachable = new HopClient("agent", Duration.ofSeconds(5));
        try (unreachable) {
            HttpRequest.Builder post = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + closedPort() + "/agent/message/stream"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}"));
            HopException failure = assertThrows(HopException.class, () -> unreachable.exchange(post, LONG, "r-1"));
            assertThat(failure.kind(), is(HopException.Kind.UNREACHABLE));
            assertThat(failure.getMessage(), startsWith("agent POST /agent/message/stream [request r-1]: "));
            assertThat(failure.getMessage(), is("agent POST /agent/message/stream [request r-1]: " + failure.reason()));
        }
    }

    @Test
    void aReadBlockedLongerThanTheTimeoutFailsAsATimeout() throws Exception {
        try (HopResponse response = client.exchange(get("/silent"), Duration.ofSeconds(1), "r-1")) {
            var reader = response.reader();
            assertThat(reader.readLine(), is("first"));
            HopException failure = assertThrows(HopException.class, reader::readLine);
            assertThat(failure.kind(), is(HopException.Kind.TIMEOUT));
            assertThat(failure.reason(), is("Read timed out"));
        }
    }

    @Test
    void timeBetweenReadsDoesNotCountTowardsTheTimeout() throws Exception {
        try (HopResponse response = client.exchange(get("/direct"), Duration.ofSeconds(1), "r-1")) {
            var reader = response.reader();
            assertThat(reader.readLine(), is("first"));
            Thread.sleep(1500);
            assertThat(reader.readLine(), is("second"));
            assertThat(reader.readLine(), is((String) null));
        }
    }

    @Test
    void aBodyClosedFromAnotherThreadFailsItsBlockedReadAsAborted() throws Exception {
        try (HopResponse response = client.exchange(get("/silent"), LONG, "r-1")) {
            var reader = response.reader();
            assertThat(reader.readLine(), is("first"));
            Thread.ofVirtual().start(() -> {
                sleep(200);
                response.close();
            });
            HopException failure = assertThrows(HopException.class, reader::readLine);
            assertThat(failure.kind(), is(HopException.Kind.ABORTED));
        }
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path));
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
