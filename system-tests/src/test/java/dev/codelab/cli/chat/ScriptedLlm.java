package dev.codelab.cli.chat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.shared.fakellm.FakeLlm;
import dev.codelab.shared.fakellm.OpenAiWire;
import dev.codelab.shared.fakellm.Reply;
import dev.codelab.shared.http.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared {@link FakeLlm} playing a script of tool calls: each chat request is answered with the next queued
 * tool call (streamed like a provider streams it), or "Done." when the script is over. It keeps the requests, so
 * a test sees exactly what the model was told. llmproxy reaches it through a models file.
 */
final class ScriptedLlm implements AutoCloseable {

    private static final String MODEL = "scripted";
    private static final String DONE = """
            {"role":"assistant","content":"Done."}""";
    private final FakeLlm upstream = FakeLlm.start(request -> Reply.openAiStream(
            OpenAiWire.chunk(MODEL, DONE, null), OpenAiWire.chunk(MODEL, "{}", "stop"), OpenAiWire.DONE));
    private int calls;

    /** Queues tool calls, one per coming request: name, then its arguments as JSON. */
    void script(String... nameThenArguments) throws IOException {
        for (int i = 0; i < nameThenArguments.length; i += 2) {
            String arguments = Json.write(Json.read(nameThenArguments[i + 1]));
            ObjectNode delta = Json.MAPPER.createObjectNode().put("role", "assistant");
            delta.putArray("tool_calls")
                    .addObject()
                    .put("index", 0)
                    .put("id", "call_" + ++calls)
                    .put("type", "function")
                    .putObject("function")
                    .put("name", nameThenArguments[i])
                    .put("arguments", arguments);
            upstream.then(Reply.openAiStream(
                    OpenAiWire.chunk(MODEL, Json.write(delta), null),
                    OpenAiWire.chunk(MODEL, "{}", "tool_calls"),
                    OpenAiWire.DONE));
        }
    }

    void reset() {
        upstream.reset();
    }

    /** The contents of the tool messages of the newest request, in order. */
    List<String> toolResultsOfTheLastRequest() {
        List<String> results = new ArrayList<>();
        upstream.lastRequest().json().path("messages").forEach(m -> {
            if (m.path("role").asText().equals("tool")) {
                results.add(m.path("content").asText());
            }
        });
        return results;
    }

    /** A models file whose only alias {@code scripted} is served by this upstream. */
    Path modelsFile(Path dir) throws IOException {
        return upstream.writeModelsFile(dir, MODEL, "api_key_env: SCRIPTED_KEY");
    }

    @Override
    public void close() {
        upstream.close();
    }
}
