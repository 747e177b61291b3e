package dev.codelab.bench.load;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Stamped streams read over plain sockets, one virtual thread per stream, by the same {@link StreamClient}s as
 * {@link TokenStreams}: straight from the {@link PacedUpstream} (the floor of the token latency: no chain in
 * between), or from a service part-way along the chain ({@link #viaLlmproxy}, {@link #viaAgent}), which tells how
 * much each hop adds. What the chain adds is its latency minus the floor, measured in the same run.
 */
final class DirectStreams {

    private DirectStreams() {}

    /**
     * Where a stream is read from: a port on 127.0.0.1 and the whole HTTP request for one stream; {@code events}
     * when its {@code data:} lines are the agent's events (read as the WebSocket's frames are: tokens from
     * {@code assistant_message} only, not the whole text again at the message's end) rather than OpenAI chunks.
     */
    record Source(int port, Supplier<byte[]> request, boolean events) {}

    /** The paced upstream itself, as llmproxy reads it. */
    static Source upstream(PacedUpstream upstream, int rate, int tokens) {
        String body = completion(rate, tokens);
        return new Source(upstream.port(), () -> post("/v1/chat/completions", Map.of(), body), false);
    }

    /** llmproxy's OpenAI-compatible stream, as the agent reads it (upstream → llmproxy). */
    static Source viaLlmproxy(ServiceProcesses stack, int rate, int tokens) {
        String body = completion(rate, tokens);
        return new Source(
                stack.port("llmproxy"),
                () -> post("/v1/chat/completions", Map.of("X-Internal-Auth", BenchStack.INTERNAL_KEY), body),
                false);
    }

    /**
     * The agent's turn stream, as the gateway reads it (upstream → llmproxy → agent), for a new session each
     * stream as a trusted service (docs/agent.md): routing, then the stamped answer.
     */
    static Source viaAgent(ServiceProcesses stack, int rate, int tokens) {
        return new Source(
                stack.port("agent"),
                () -> post(
                        "/agent/message/stream",
                        Map.of("X-Internal-Auth", BenchStack.INTERNAL_KEY, "Accept", "text/event-stream"),
                        "{\"session_id\":\"bench-hop-" + UUID.randomUUID()
                                + "\",\"message\":{\"type\":\"user_message\",\"content\":\"bench tokens="
                                + tokens + " rate=" + rate + "\"}}"),
                true);
    }

    /** {@code streams} streams of {@code tokens} stamped tokens at {@code rate} per second from the upstream. */
    static TokenStreams.Level run(PacedUpstream upstream, int streams, int rate, int tokens)
            throws InterruptedException {
        return run(upstream(upstream, rate, tokens), streams, rate, tokens);
    }

    static TokenStreams.Level run(Source source, int streams, int rate, int tokens) throws InterruptedException {
        List<StreamClient> clients = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < streams; i++) {
            StreamClient client = new StreamClient(tokens);
            clients.add(client);
            byte[] request = source.request().get();
            Thread.ofVirtual().name("bench-direct-reader").start(() -> read(source, request, client));
        }
        return TokenStreams.awaitAll(streams, rate, clients, start);
    }

    private static String completion(int rate, int tokens) {
        return "{\"model\":\"" + PacedUpstream.MODEL + "\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"bench tokens=" + tokens + " rate=" + rate + "\"}]}";
    }

    private static byte[] post(String path, Map<String, String> headers, String body) {
        StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nConnection: close\r\n");
        headers.forEach(
                (name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ")
                .append(body.getBytes(StandardCharsets.UTF_8).length)
                .append("\r\n\r\n")
                .append(body);
        return head.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void read(Source source, byte[] request, StreamClient client) {
        boolean broken = true;
        try (Socket socket = new Socket("127.0.0.1", source.port())) {
            socket.setTcpNoDelay(true);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            expectChunkedOk(in);
            broken = !readEvents(in, source.events(), client);
        } catch (IOException e) {
            broken = true;
        } finally {
            client.ended(broken);
        }
    }

    /** Reads the head of a 200 answer with a chunked body; fails on anything else. */
    private static void expectChunkedOk(InputStream in) throws IOException {
        String status = line(in);
        if (!status.startsWith("HTTP/1.1 200")) {
            throw new IOException("the server answered " + status);
        }
        boolean chunked = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            chunked |= header.toLowerCase().startsWith("transfer-encoding:")
                    && header.toLowerCase().contains("chunked");
        }
        if (!chunked) {
            throw new IOException("the server's stream is not chunked");
        }
    }

    /**
     * Hands each {@code data:} event to {@code client} as it arrives; true when the stream ended with
     * {@code [DONE]} (OpenAI's end) or with the chunked body's last chunk (the agent's). Each chunk a server
     * flushes holds whole SSE lines (ASCII); a line split across chunks waits for the rest.
     */
    private static boolean readEvents(InputStream in, boolean events, StreamClient client) throws IOException {
        StringBuilder partial = new StringBuilder();
        for (int size = chunkSize(in); size > 0; size = chunkSize(in)) {
            partial.append(new String(in.readNBytes(size), StandardCharsets.UTF_8));
            long arrival = System.nanoTime();
            line(in); // the CRLF after the chunk
            int end;
            while ((end = partial.indexOf("\n")) >= 0) {
                String event = partial.substring(0, end);
                partial.delete(0, end + 1);
                if (event.startsWith("data: [DONE]")) {
                    return true;
                }
                if (!event.startsWith("data: ")) {
                    continue;
                }
                if (events) {
                    client.onText(event.substring("data: ".length()), arrival);
                } else {
                    client.onTokens(event, arrival);
                }
            }
        }
        return true;
    }

    /** One line without its {@code \n} (or {@code \r\n}); fails at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("stream ended");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private static int chunkSize(InputStream in) throws IOException {
        String size = line(in);
        int semicolon = size.indexOf(';');
        return Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
    }
}
