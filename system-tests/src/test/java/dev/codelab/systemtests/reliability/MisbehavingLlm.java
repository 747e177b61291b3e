package dev.codelab.systemtests.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.codelab.shared.http.Json;
import dev.codelab.systemtests.testing.OpenAiStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible upstream on loopback that misbehaves on demand: it answers 500, hangs, cuts the stream
 * before {@code [DONE]}, calls {@code write_file} whatever tools it is offered, or streams a short answer (and
 * answers a request that does not stream, a context summary, with a short JSON completion). llmproxy reaches it
 * through a models file. Keeps the body of each request.
 */
final class MisbehavingLlm implements AutoCloseable {

    enum Mode {
        OK,
        FAIL,
        FAIL_ONCE,
        HANG,
        CUT,
        WRITE_FILE
    }

    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile Mode mode = Mode.OK;

    private MisbehavingLlm() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", this::answer);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    static MisbehavingLlm start() throws IOException {
        return new MisbehavingLlm();
    }

    void mode(Mode newMode) {
        mode = newMode;
        requests.set(0);
        bodies.clear();
    }

    int requests() {
        return requests.get();
    }

    /** The request bodies, in the order they came. */
    List<JsonNode> bodies() {
        return bodies;
    }

    /** A models file whose only alias {@code flaky} is served by this upstream (first-token timeout 1 s). */
    Path modelsFile(Path dir) throws IOException {
        return Files.writeString(
                dir.resolve("models.yaml"), """
                models:
                  - alias: flaky
                    deployments:
                      - {provider: openai, model: flaky, base_url: "http://127.0.0.1:%d/v1", api_key_env: FLAKY_KEY, timeout_seconds: 1}
                """.formatted(server.getAddress().getPort()));
    }

    private void answer(HttpExchange exchange) throws IOException {
        int n = requests.incrementAndGet();
        JsonNode body = Json.read(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        bodies.add(body);
        if (mode == Mode.OK && !body.path("stream").asBoolean(false)) {
            summary(exchange);
            return;
        }
        switch (mode) {
            case FAIL -> fail(exchange);
            case FAIL_ONCE -> {
                if (n == 1) {
                    fail(exchange);
                } else {
                    stream(exchange, true);
                }
            }
            case HANG -> {
                try {
                    released.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
            }
            case CUT -> stream(exchange, false);
            case WRITE_FILE -> writeFile(exchange);
            default -> stream(exchange, true);
        }
    }

    private static void fail(HttpExchange exchange) throws IOException {
        byte[] body = "{\"error\":{\"message\":\"upstream broke\",\"type\":\"server_error\"}}"
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(500, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static void stream(HttpExchange exchange, boolean complete) throws IOException {
        OpenAiStream stream = OpenAiStream.open(exchange, "flaky");
        stream.delta("{\"role\":\"assistant\",\"content\":\"\"}");
        stream.delta("{\"content\":\"Partial\"}");
        stream.delta("{\"content\":\" text\"}");
        if (complete) {
            stream.finish("stop");
        }
        exchange.close();
    }

    private static void summary(HttpExchange exchange) throws IOException {
        byte[] body = ("{\"id\":\"chatcmpl-s\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"flaky\","
                        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"- the user asks about "
                        + "monads\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":5,"
                        + "\"total_tokens\":14}}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private static void writeFile(HttpExchange exchange) throws IOException {
        OpenAiStream stream = OpenAiStream.open(exchange, "flaky");
        stream.delta("{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"call_w\",\"type\":\"function\","
                + "\"function\":{\"name\":\"write_file\",\"arguments\":\"{\\\"path\\\":\\\"a.txt\\\","
                + "\\\"content\\\":\\\"x\\\"}\"}}]}");
        stream.finish("tool_calls");
        exchange.close();
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
