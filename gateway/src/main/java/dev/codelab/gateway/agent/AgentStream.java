package dev.codelab.gateway.agent;

import dev.codelab.shared.hop.HopException;
import dev.codelab.shared.hop.HopResponse;
import java.util.Iterator;

/**
 * The agent's answer to a turn: its status and, line by line as they arrive, its SSE body. Closing it after a
 * partial read closes the connection instead of returning it to the keep-alive pool; closing it from another
 * thread is how a turn is aborted.
 */
public final class AgentStream implements AutoCloseable {

    private final HopResponse response;

    AgentStream(HopResponse response) {
        this.response = response;
    }

    public int status() {
        return response.status();
    }

    /**
     * The body's lines, each handed out as soon as it is complete (call once). Reading blocks the calling thread;
     * a failure (also the one {@link #close()} from another thread causes) ends it with an unchecked exception
     * around the {@link HopException}.
     */
    public Iterator<String> lines() {
        return response.reader().lines().iterator();
    }

    /** The whole body as text, for an answer that is not a stream. */
    public String text() throws HopException {
        return response.text();
    }

    /**
     * Ends the exchange, from any thread: a read blocked on it fails at once, and unless the body was read to its
     * end the connection is closed. Never blocks.
     */
    @Override
    public void close() {
        response.close();
    }
}
