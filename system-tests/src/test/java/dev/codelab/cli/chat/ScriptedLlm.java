package dev.codelab.cli.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * An OpenAI-compatible upstream on loopback that plays a script: each chat request is answered with the next
 * queued tool call (streamed like a provider streams it), or "Done." when the script is over. It keeps the
 * requests, so a test sees exactly what the model was told. llmproxy reaches it through a models file.
 */
final class ScriptedLlm implements AutoCloseable {

    private final HttpServer server;
    private final Queue<ObjectNode> script = new ConcurrentLinkedQueue<>();
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();

    ScriptedLlm() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", this::answer);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** Queues tool calls, one per coming request: name, then its arguments as JSON. */
    void script(String... nameThenArguments) throws IOException {
        for (int i = 0; i < nameThenArguments.length; i += 2) {
            ObjectNode call = Json.MAPPER.createObjectNode();
            call.put("name", nameThenArguments[i]);
            call.put("arguments", Json.write(Json.read(nameThenArguments[i + 1])));
            script.add(call);
        }
    }

    void reset() {
        script.clear();
        requests.clear();
    }

    /** The contents of the tool messages of the newest request, in order. */
    List<String> toolResultsOfTheLastRequest() {
        List<String> results = new java.util.ArrayList<>();
        requests.getLast().path("messages").forEach(m -> {
            if (m.path("role").asText().equals("tool")) {
                results.add(m.path("content").asText());
            }
        });
        return results;
    }

    /** A models file whose only alias {@code scripted} is served by this upstream. */
    Path modelsFile(Path dir) throws IOException {
        return Files.writeString(
                dir.resolve("models.yaml"), """
                models:
                  - alias: scripted
                    deployments:
                      - {provider: openai, model: scripted, base_url: "http://127.0.0.1:%d/v1", api_key_env: SCRIPTED_KEY}
                """.formatted(server.getAddress().getPort()));
    }

    private void answer(HttpExchange exchange) throws IOException {
        requests.add(Json.read(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        OpenAiStream stream = OpenAiStream.open(exchange, "scripted");
        ObjectNode call = script.poll();
        if (call == null) {
            stream.delta("{\"role\":\"assistant\",\"content\":\"Done.\"}");
            stream.finish("stop");
        } else {
            ObjectNode delta = Json.MAPPER.createObjectNode().put("role", "assistant");
            ObjectNode toolCall = delta.putArray("tool_calls")
                    .addObject()
                    .put("index", 0)
                    .put("id", "call_" + requests.size())
                    .put("type", "function");
            toolCall.set("function", call);
            stream.delta(Json.write(delta));
            stream.finish("tool_calls");
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
