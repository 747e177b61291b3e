package dev.codelab.gateway.agent;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

import io.helidon.webclient.http1.Http1ClientResponse;

/**
 * The agent's answer to a turn: its status and, line by line as they arrive, its SSE body. Closing it after a
 * partial read closes the connection instead of returning it to the keep-alive cache; closing it from another
 * thread is how a turn is aborted.
 */
public final class AgentStream implements AutoCloseable {

    private final Http1ClientResponse response;

    AgentStream(Http1ClientResponse response) {
        this.response = response;
    }

    public int status() {
        return response.status().code();
    }

    /**
     * The body's lines, each handed out as soon as it is complete (call once). Reading blocks the calling thread;
     * a failure (also the one {@link #close()} from another thread causes) ends it with an unchecked exception.
     */
    public Iterator<String> lines() {
        return new BufferedReader(new InputStreamReader(response.inputStream(), StandardCharsets.UTF_8)).lines().iterator();
    }

    /** The whole body as text, for an answer that is not a stream. */
    public String text() {
        return response.entity().hasEntity() ? response.as(String.class) : "";
    }

    /**
     * Ends the exchange, from any thread: closes the socket (a read blocked on it fails at once) unless the body
     * was read to its end, which returns the connection to the cache. Never blocks.
     */
    @Override
    public void close() {
        response.close();
    }
}
