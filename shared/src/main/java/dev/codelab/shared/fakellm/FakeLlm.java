package dev.codelab.shared.fakellm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A model provider on a free loopback port: it plays the queued {@link Reply}s in order, exactly as written,
 * answers everything else through its {@link Responder}, records every request, and notices when its client hangs
 * up. The one fake upstream of the tests (llmproxy's providers, the agent's llmproxy stand-in, the system tests'
 * misbehaving and scripted models) and of the load bench (the paced upstream), so it is main code of
 * {@code shared}: the bench ships in the {@code codelab} command and cannot use a test jar.
 *
 * <p>Every connection has {@code TCP_NODELAY}, as the services' own sockets do: the bench measures per-token
 * latency through this server, and a test must not wait on Nagle's algorithm either.
 */
public final class FakeLlm implements AutoCloseable {

    static {
        // read once when the JDK server's configuration loads; documented in the jdk.httpserver module
        System.getProperties().putIfAbsent("sun.net.httpserver.nodelay", "true");
        // the default (200) closes the kept-alive connections of a burst, and the client's next request on each
        // one fails ("header parser received no bytes") and is sent again: a provider keeps them open
        System.getProperties().putIfAbsent("sun.net.httpserver.maxIdleConnections", "10000");
    }

    private static final Duration LONGEST_HOLD = Duration.ofSeconds(30);

    private final HttpServer server;
    private final Responder responder;
    private final BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
    /** Appended in O(1): the bench sends thousands of requests a second through this server. */
    private final ConcurrentLinkedDeque<Recorded> requests = new ConcurrentLinkedDeque<>();

    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile CountDownLatch clientGone = new CountDownLatch(1);

    private FakeLlm(Responder responder) throws IOException {
        this.responder = responder;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::serve);
        server.start();
    }

    /** A fake that answers only what is queued ({@link #then}); anything else gets a 500. */
    public static FakeLlm start() {
        return start(Responder.UNSCRIPTED);
    }

    /** A fake that answers what is queued first, everything else through {@code responder}. */
    public static FakeLlm start(Responder responder) {
        try {
            return new FakeLlm(responder);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code http://127.0.0.1:<port>}, without a path. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Nothing queued, nothing recorded: as new, on the same port (between the tests of a class). */
    public void reset() {
        replies.clear();
        requests.clear();
        clientGone = new CountDownLatch(1);
    }

    public FakeLlm then(Reply reply) {
        replies.add(reply);
        return this;
    }

    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    public Recorded lastRequest() {
        return requests.getLast();
    }

    /** Waits until a reply's write failed because the client closed the connection. */
    public boolean awaitClientGone(Duration timeout) throws InterruptedException {
        return clientGone.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Writes an llmproxy model registry ({@code <alias>-models.yaml} in {@code dir}) whose only alias is an
     * {@code openai} deployment of the same name on this fake; {@code options} adds deployment fields
     * ({@code "api_key_env: FLAKY_KEY, timeout_seconds: 1"}).
     */
    public Path writeModelsFile(Path dir, String alias, String options) throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve(alias + "-models.yaml"), """
                models:
                  - alias: %s
                    deployments:
                      - {provider: openai, model: %s, base_url: "%s/v1", %s}
                """.formatted(alias, alias, baseUrl(), options));
    }

    private void serve(HttpExchange exchange) throws IOException {
        long arrived = System.nanoTime();
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.getFirst()));
        Recorded request = new Recorded(
                exchange.getRequestMethod(),
                exchange.getRequestURI().getPath(),
                exchange.getRequestURI().getRawQuery(),
                headers,
                new String(body, StandardCharsets.UTF_8),
                exchange.getRemoteAddress().getPort(),
                arrived);
        requests.add(request);
        try {
            Reply reply = replies.poll();
            play(exchange, reply == null ? responder.answer(request) : reply);
        } catch (IOException e) {
            clientGone.countDown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    private void play(HttpExchange exchange, Reply reply) throws IOException, InterruptedException {
        if (reply.release() != null) {
            Duration most = reply.firstDelay().isZero() ? LONGEST_HOLD : reply.firstDelay();
            reply.release().await(most.toMillis(), TimeUnit.MILLISECONDS);
        } else if (closing.await(reply.firstDelay().toMillis(), TimeUnit.MILLISECONDS)) {
            return;
        }
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        boolean oneShot = reply.writer() == null && reply.parts().size() == 1 && !reply.thenHang();
        exchange.sendResponseHeaders(
                reply.status(), oneShot ? reply.parts().getFirst().getBytes(StandardCharsets.UTF_8).length : 0);
        OutputStream out = exchange.getResponseBody();
        if (reply.writer() != null) {
            reply.writer().write(out);
            out.flush();
            return;
        }
        for (String part : reply.parts()) {
            out.write(part.getBytes(StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(reply.gap());
        }
        if (reply.thenHang()) {
            // keep the connection open and probe it until the client hangs up (or 30 s pass)
            for (int i = 0; i < 300 && closing.getCount() > 0; i++) {
                Thread.sleep(100);
                out.write(reply.probe().getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
