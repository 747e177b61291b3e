package dev.codelab.cli.bench;

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

    private DirectStreams() {
    }

    static TokenStreams.Level run(PacedUpstream upstream, int streams, int rate, int tokens) throws InterruptedException {
        String body = "{\"model\":\"" + PacedUpstream.MODEL + "\",\"stream\":true,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"bench tokens=" + tokens + " rate=" + rate + "\"}]}";
        byte[] request = ("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Connection: close\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
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
                chunked |= header.toLowerCase().startsWith("transfer-encoding:") && header.toLowerCase().contains("chunked");
            }
            InputStream events = chunked ? new Chunked(in) : in;
            for (String event = line(events); ; event = line(events)) {
                if (event.startsWith("data: [DONE]")) {
                    broken = false;
                    return;
                }
                if (event.startsWith("data: ")) {
                    client.onTokens(event, System.nanoTime());
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

    /** The payload of a {@code Transfer-Encoding: chunked} body. */
    private static final class Chunked extends InputStream {

        private final InputStream in;
        private int left;

        Chunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            if (left == 0) {
                String size = line(in);
                if (size.isEmpty()) {
                    size = line(in); // the CRLF that ends the previous chunk
                }
                int semicolon = size.indexOf(';');
                left = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
                if (left == 0) {
                    return -1;
                }
            }
            left--;
            return in.read();
        }
    }
}
