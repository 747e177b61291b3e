package dev.codelab.systemtests.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * An OpenAI {@code chat.completion.chunk} stream as a provider writes it, for the wire-level fake upstreams of
 * these tests: {@link #open} sends the 200 and SSE headers, each {@link #delta} is one flushed event.
 */
public final class OpenAiStream {

    private final OutputStream out;
    private final String model;

    private OpenAiStream(OutputStream out, String model) {
        this.out = out;
        this.model = model;
    }

    public static OpenAiStream open(HttpExchange exchange, String model) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        return new OpenAiStream(exchange.getResponseBody(), model);
    }

    /** One chunk whose {@code delta} is {@code deltaJson}. */
    public void delta(String deltaJson) throws IOException {
        chunk(deltaJson, "null");
    }

    /** The last chunk, with {@code finish_reason}, then {@code [DONE]}. */
    public void finish(String reason) throws IOException {
        chunk("{}", "\"" + reason + "\"");
        write("data: [DONE]\n\n");
    }

    private void chunk(String deltaJson, String finishReason) throws IOException {
        write("data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model + "\","
                + "\"choices\":[{\"index\":0,\"delta\":" + deltaJson + ",\"finish_reason\":" + finishReason
                + "}]}\n\n");
    }

    private void write(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
