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

/**
 * The floor of the token latency: the same stamped streams as {@link TokenStreams}, read by the same
 * {@link StreamClient}s straight from the {@link PacedUpstream} (no chain in between), one plain socket per stream
 * read by one virtual thread. What the chain adds is its latency minus this one, measured in the same run.
 */
final class DirectStreams {

    private DirectStreams() {}

    static TokenStreams.Level run(PacedUpstream upstream, int streams, int rate, int tokens)
            throws InterruptedException {
        String body = "{\"model\":\"" + PacedUpstream.MODEL + "\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"bench tokens=" + tokens + " rate=" + rate + "\"}]}";
        byte[] request = ("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Connection: close\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
                        + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.UTF_8);
        List<StreamClient> clients = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < streams; i++) {
            StreamClient client = new StreamClient(tokens);
            clients.add(client);
            Thread.ofVirtual().name("bench-direct-reader").start(() -> read(upstream.port(), request, client));
        }
        return TokenStreams.awaitAll(streams, rate, clients, start);
    }

    private static void read(int port, byte[] request, StreamClient client) {
        boolean broken = true;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setTcpNoDelay(true);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            String status = line(in);
            if (!status.startsWith("HTTP/1.1 200")) {
                throw new IOException("the upstream answered " + status);
            }
            boolean chunked = false;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                chunked |= header.toLowerCase().startsWith("transfer-encoding:")
                        && header.toLowerCase().contains("chunked");
            }
            if (!chunked) {
                throw new IOException("the upstream's stream is not chunked");
            }
            // Each chunk the upstream flushes holds whole SSE lines (ASCII); a line split across chunks waits for the
            // rest.
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
                        broken = false;
                        return;
                    }
                    if (event.startsWith("data: ")) {
                        client.onTokens(event, arrival);
                    }
                }
            }
        } catch (IOException e) {
            broken = true;
        } finally {
            client.ended(broken);
        }
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
