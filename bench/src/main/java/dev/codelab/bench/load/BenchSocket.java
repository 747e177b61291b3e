package dev.codelab.bench.load;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ObjLongConsumer;

/**
 * A minimal blocking WebSocket client (RFC 6455, text frames only) for the bench's token streams: one socket,
 * read by one virtual thread, each message handed on with its arrival time. The JDK client spent about a
 * quarter of the bench's CPU in its own selector and worker threads at 100 streams, CPU the chain under test
 * then lacked; this one reads the socket directly, as an IDE's client would. (So it is not the tests' JDK-based
 * {@code WsClient} either, which lives in the shared test jar.)
 */
final class BenchSocket implements AutoCloseable {

    private static final int TEXT = 0x1;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private BenchSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.out = socket.getOutputStream();
    }

    /** Opens {@code ws://} {@code url} with a bearer token; fails unless the server answers 101. */
    static BenchSocket open(URI url, String accessToken) throws IOException {
        Socket socket = new Socket(url.getHost(), url.getPort());
        socket.setTcpNoDelay(true);
        BenchSocket ws = new BenchSocket(socket);
        try {
            byte[] key = new byte[16];
            ThreadLocalRandom.current().nextBytes(key);
            ws.out.write(("GET " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: "
                            + "13\r\nSec-WebSocket-Key: "
                            + Base64.getEncoder().encodeToString(key) + "\r\nAuthorization: Bearer " + accessToken
                            + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            ws.out.flush();
            String head = ws.readHead();
            if (!head.startsWith("HTTP/1.1 101")) {
                throw new IOException(
                        "Upgrade refused: " + head.lines().findFirst().orElse(""));
            }
            return ws;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends one text message (masked, as a client must). */
    synchronized void send(String text) throws IOException {
        writeFrame(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads messages until the server closes the socket or {@code onText} has seen enough, answering pings;
     * {@code onText} gets each whole text message and the {@link System#nanoTime()} its last byte was read at.
     */
    void read(ObjLongConsumer<String> onText) throws IOException {
        StringBuilder message = new StringBuilder();
        while (true) {
            int first = readByte();
            int second = readByte();
            long length = second & 0x7F;
            if (length == 126) {
                length = (readByte() << 8) | readByte();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | readByte();
                }
            }
            byte[] payload = in.readNBytes((int) length);
            if (payload.length < length) {
                throw new EOFException("Socket closed mid-frame");
            }
            long arrival = System.nanoTime();
            int opcode = first & 0x0F;
            if (opcode == CLOSE) {
                return;
            }
            if (opcode == PING) {
                synchronized (this) {
                    writeFrame(PONG, payload);
                }
                continue;
            }
            if (opcode == TEXT || opcode == 0) {
                message.append(new String(payload, StandardCharsets.UTF_8));
                if ((first & 0x80) != 0) {
                    onText.accept(message.toString(), arrival);
                    message.setLength(0);
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            synchronized (this) {
                writeFrame(CLOSE, new byte[] {0x03, (byte) 0xE8});
            }
        } catch (IOException e) {
            // the server may have closed first
        }
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }

    private void writeFrame(int opcode, byte[] payload) throws IOException {
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        int headerLength = payload.length < 126 ? 2 : payload.length < 65_536 ? 4 : 10;
        byte[] frame = new byte[headerLength + 4 + payload.length];
        frame[0] = (byte) (0x80 | opcode);
        if (payload.length < 126) {
            frame[1] = (byte) (0x80 | payload.length);
        } else if (payload.length < 65_536) {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (payload.length >>> 8);
            frame[3] = (byte) payload.length;
        } else {
            frame[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) ((long) payload.length >>> (56 - 8 * i));
            }
        }
        System.arraycopy(mask, 0, frame, headerLength, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[headerLength + 4 + i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        out.write(frame);
        out.flush();
    }

    private String readHead() throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || head.lastIndexOf("\r\n\r\n") != head.length() - 4) {
            head.append((char) readByte());
            if (head.length() > 16 * 1024) {
                throw new IOException("Upgrade response too long");
            }
        }
        return head.toString();
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("Socket closed");
        }
        return b;
    }
}
