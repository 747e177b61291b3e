package dev.codelab.shared.server;

import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.websocket.WsRouting;

/**
 * One CodeLab service's routes and resources, independent of the server that hosts them, so that the same
 * service runs alone ({@code java -jar}) or beside others in one JVM ({@code codelab up}).
 *
 * <p>{@link #routing} registers only this service's paths; filters that must not leak onto a co-hosted
 * service's paths are scoped inside its own {@code HttpService}s. Request logging and error bodies are added
 * once per server by {@link ServiceServer}.
 */
public interface CodeLabService extends AutoCloseable {

    /** A short name for logs ({@code auth}, {@code gateway}, ...). */
    String name();

    void routing(HttpRouting.Builder routing);

    /** WebSocket endpoints, if the service has any. */
    default void websockets(WsRouting.Builder ws) {}

    /** Whether the service has WebSocket endpoints. */
    default boolean hasWebsockets() {
        return false;
    }

    /** Releases pools and clients; called after the server stopped. */
    @Override
    default void close() {}
}
