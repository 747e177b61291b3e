package dev.codelab.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.shared.http.Json;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAI-compatible chat completions server for the bench, on 127.0.0.1. A streamed answer is paced by the
 * last user message {@code bench tokens=N rate=R}: N content chunks, R per second, each chunk's text
 * {@code ~<index>@<System.nanoTime() just before the write>;} so that a client in the same JVM can tell the
 * latency of every token and whether any was lost, duplicated or reordered. A non-streamed request gets a
 * short answer (the orchestrator's routing JSON when it asks for {@code json_object}).
 */
final class PacedUpstream implements AutoCloseable {

    static final String MODEL = "bench";
    private static final Pattern PACING = Pattern.compile("bench tokens=(\\d+) rate=(\\d+)");
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final WebServer server;

    private PacedUpstream(WebServer server) {
        this.server = server;
    }

    static PacedUpstream start() {
        PacedUpstream[] self = new PacedUpstream[1];
        WebServer server = WebServer.builder()
                .host("127.0.0.1")
                .port(0)
                .connectionOptions(options -> options.tcpNoDelay(true))
                .routing(r -> r.post("/v1/chat/completions", (req, res) -> self[0].handle(req, res)))
                .build();
        self[0] = new PacedUpstream(server);
        server.start();
        return self[0];
    }

    /** The base URL an {@code openai} deployment points at. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.port() + "/v1";
    }

    /** Writes llmproxy's model registry with this upstream as the only model; returns its path. */
    Path writeModelsFile(Path dir) throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve("bench-models.yaml"), """
                models:
                  - alias: %s
                    deployments:
                      - {provider: openai, model: %s, base_url: "%s", timeout_seconds: 30}
                """.formatted(MODEL, MODEL, baseUrl()));
    }

    int port() {
        return server.port();
    }

    private void handle(ServerRequest req, ServerResponse res) throws IOException {
        JsonNode body = Json.read(req.content().as(String.class));
        if (body.path("stream").asBoolean(false)) {
            stream(lastUserText(body), res);
            return;
        }
        String content =
                "json_object".equals(body.path("response_format").path("type").asText())
                        ? "{\"agent\":\"ask\",\"confidence\":\"high\",\"reasoning\":\"bench\"}"
                        : "ok";
        res.header("Content-Type", "application/json");
        res.send(Json.write(Json.MAPPER
                .createObjectNode()
                .put("id", "bench-1")
                .put("object", "chat.completion")
                .put("created", 0)
                .put("model", MODEL)
                .<ObjectNode>set(
                        "choices",
                        Json.MAPPER
                                .createArrayNode()
                                .add(Json.MAPPER
                                        .createObjectNode()
                                        .put("index", 0)
                                        .put("finish_reason", "stop")
                                        .set(
                                                "message",
                                                Json.MAPPER
                                                        .createObjectNode()
                                                        .put("role", "assistant")
                                                        .put("content", content))))
                .set(
                        "usage",
                        Json.MAPPER
                                .createObjectNode()
                                .put("prompt_tokens", 1)
                                .put("completion_tokens", 1)
                                .put("total_tokens", 2))));
    }

    private static void stream(String userText, ServerResponse res) throws IOException {
        Matcher pacing = PACING.matcher(userText);
        boolean paced = pacing.find();
        int tokens = paced ? Integer.parseInt(pacing.group(1)) : 10;
        long intervalNanos = paced ? 1_000_000_000L / Math.max(1, Integer.parseInt(pacing.group(2))) : 0;
        res.header("Content-Type", "text/event-stream");
        res.header("Cache-Control", "no-cache");
        try (OutputStream out = res.outputStream()) {
            long start = System.nanoTime();
            for (int i = 0; i < tokens; i++) {
                Pace.until(start + i * intervalNanos);
                out.write(chunk("{\"content\":\"~" + i + "@" + System.nanoTime() + ";\"}", "null"));
                out.flush();
            }
            out.write(chunk("{}", "\"stop\""));
            out.write(
                    ("data: {\"id\":\"bench-1\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":\"bench\","
                                    + "\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":" + tokens
                                    + ",\"total_tokens\":" + (tokens + 1) + "}}\n\n")
                            .getBytes(StandardCharsets.UTF_8));
            out.write(DONE);
            out.flush();
        }
    }

    private static byte[] chunk(String delta, String finishReason) {
        return ("data: {\"id\":\"bench-1\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":\"bench\","
                        + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finishReason
                        + "}]}\n\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String lastUserText(JsonNode body) {
        String text = "";
        for (JsonNode message : body.path("messages")) {
            if ("user".equals(message.path("role").asText())) {
                text = message.path("content").asText("");
            }
        }
        return text;
    }

    @Override
    public void close() {
        server.stop();
    }
}
