package dev.codelab.shared.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import redis.embedded.RedisServer;

/**
 * A real redis-server from the codemonstur binaries, for the dev stack and tests. Needs
 * {@code com.github.codemonstur:embedded-redis} on the class path (an optional dependency of {@code shared}).
 */
public final class EmbeddedRedisServer implements AutoCloseable {

    private final RedisServer server;
    private final int port;

    private EmbeddedRedisServer(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts redis-server on loopback.
     *
     * @param port          0 for a free port
     * @param dataDirectory where snapshots are kept across restarts; {@code null} keeps nothing on disk
     */
    public static EmbeddedRedisServer start(int port, Path dataDirectory) {
        int chosen = port == 0 ? freePort() : port;
        try {
            var builder = RedisServer.newRedisServer()
                    .port(chosen)
                    .bind("127.0.0.1")
                    .setting("maxmemory 256mb")
                    .onShutdownForceStop(true);
            if (dataDirectory == null) {
                builder.setting("save \"\"").setting("appendonly no");
            } else {
                builder.setting("dir " + dataDirectory.toAbsolutePath());
            }
            RedisServer server = builder.build();
            server.start();
            return new EmbeddedRedisServer(server, chosen);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start embedded Redis", e);
        }
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Stops the server (tests use this to simulate Redis going away). */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts it again on the same port after {@link #close()}. */
    public void restart() {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
