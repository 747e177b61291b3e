package dev.codelab.llmproxy.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.codelab.shared.http.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A local model provider on a free port that plays scripted replies in order, exactly as written (status,
 * headers, body parts flushed one by one), records every request, and notices when its client hangs up.
 */
public final class FakeUpstream implements AutoCloseable {

    private final HttpServer server;
    private final BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch clientGone = new CountDownLatch(1);
    private volatile boolean stopped;

    private FakeUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::serve);
        server.start();
    }

    public static FakeUpstream start() {
        try {
            return new FakeUpstream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Nothing scripted, nothing recorded: as new, on the same port (between the tests of a class). */
    public void reset() {
        replies.clear();
        requests.clear();
        clientGone = new CountDownLatch(1);
    }

    public FakeUpstream then(Reply reply) {
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

    private void serve(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.getFirst()));
        requests.add(new Recorded(
                exchange.getRequestMethod(),
                exchange.getRequestURI().getPath(),
                headers,
                new String(body, StandardCharsets.UTF_8),
                exchange.getRemoteAddress().getPort()));
        Reply reply = replies.poll();
        if (reply == null) {
            reply = Reply.json(500, "{\"error\":{\"message\":\"no scripted reply\"}}");
        }
        try {
            play(exchange, reply);
        } catch (IOException e) {
            clientGone.countDown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    private void play(HttpExchange exchange, Reply reply) throws IOException, InterruptedException {
        Thread.sleep(reply.firstDelay());
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        // a one-part answer goes out with a Content-Length, like a provider's non-streamed answer; the rest chunked
        boolean oneShot = reply.parts().size() == 1 && !reply.thenHang();
        exchange.sendResponseHeaders(
                reply.status(), oneShot ? reply.parts().getFirst().getBytes(StandardCharsets.UTF_8).length : 0);
        OutputStream out = exchange.getResponseBody();
        for (String part : reply.parts()) {
            out.write(part.getBytes(StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(reply.gap());
        }
        if (reply.thenHang()) {
            // keep the connection open and probe it until the client hangs up (or 30 s pass)
            for (int i = 0; i < 300 && !stopped; i++) {
                Thread.sleep(100);
                out.write(reply.probe().getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        server.stop(0);
    }

    /** One scripted answer. {@code probe} is written every 100 ms while hanging (an SSE comment or a blank line). */
    public record Reply(
            int status,
            Map<String, String> headers,
            List<String> parts,
            Duration firstDelay,
            Duration gap,
            boolean thenHang,
            String probe) {

        public static Reply json(int status, String body) {
            return new Reply(
                    status,
                    Map.of("Content-Type", "application/json"),
                    List.of(body),
                    Duration.ZERO,
                    Duration.ZERO,
                    false,
                    "");
        }

        /** An SSE body: each event is written and flushed on its own. */
        public static Reply sse(String... events) {
            List<String> parts = new ArrayList<>();
            for (String event : events) {
                parts.add(event.endsWith("\n\n") ? event : event + "\n\n");
            }
            return new Reply(
                    200,
                    Map.of("Content-Type", "text/event-stream"),
                    parts,
                    Duration.ZERO,
                    Duration.ZERO,
                    false,
                    ": probe\n\n");
        }

        /** OpenAI-style SSE: {@code data: <json>} per chunk. */
        public static Reply openAiStream(String... chunks) {
            return sse(java.util.Arrays.stream(chunks).map(c -> "data: " + c).toArray(String[]::new));
        }

        public static Reply ndjson(String... lines) {
            List<String> parts =
                    java.util.Arrays.stream(lines).map(l -> l + "\n").toList();
            return new Reply(
                    200,
                    Map.of("Content-Type", "application/x-ndjson"),
                    parts,
                    Duration.ZERO,
                    Duration.ZERO,
                    false,
                    "\n");
        }

        public Reply withHeader(String name, String value) {
            Map<String, String> all = new LinkedHashMap<>(headers);
            all.put(name, value);
            return new Reply(status, all, parts, firstDelay, gap, thenHang, probe);
        }

        public Reply delayedBy(Duration delay) {
            return new Reply(status, headers, parts, delay, gap, thenHang, probe);
        }

        public Reply withGap(Duration gap) {
            return new Reply(status, headers, parts, firstDelay, gap, thenHang, probe);
        }

        /** After the parts, keep the connection open without sending anything the client would parse. */
        public Reply hanging() {
            return new Reply(status, headers, parts, firstDelay, gap, true, probe);
        }

        /** Like {@link #hanging()}, but silent: nothing at all is written (for timeout tests). */
        public Reply silent() {
            return new Reply(status, headers, parts, firstDelay, gap, true, "");
        }
    }

    /** One request as it arrived; {@code clientPort} tells which connection carried it. */
    public record Recorded(String method, String path, Map<String, String> headers, String body, int clientPort) {

        public JsonNode json() {
            try {
                return Json.read(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
