package dev.codelab.llmproxy.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.llmproxy.provider.ChunkSink;
import dev.codelab.llmproxy.provider.UpstreamGuard;
import dev.codelab.llmproxy.provider.Usage;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.sse.SseWriter;
import dev.codelab.shared.watch.IdleWatch;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerResponse;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The caller's side of one streamed answer: writes each chunk as SSE the moment it arrives, writes a
 * {@code : keep-alive} comment when nothing was written for a while, and closes a provider stream that misses its
 * first-token or gap timeout (two {@link IdleWatch}es: one for the caller, one per provider attempt).
 *
 * <p>The response moves through {@link State}, only forward, and only in {@link #send} and
 * {@link #endIfUncommitted} under the stream's lock. Until it is {@code OPEN} (status 200, the first chunk or
 * keep-alive written) a failure can still be answered with an HTTP error status.
 */
public final class CallerStream implements ChunkSink, AutoCloseable {

    /** Where the caller's response is. */
    private enum State {
        /** Nothing written: a failure can still be answered with an HTTP error status. */
        UNCOMMITTED,
        /** The 200 and SSE headers went out; events and keep-alives follow. */
        OPEN,
        /** The last event is written, or the stream was ended before it opened: nothing more is written. */
        ENDED,
        /** A write failed: the caller closed the connection, and every later write fails at once. */
        CALLER_GONE
    }

    private final ServerResponse res;
    private final boolean includeUsage;
    private final Duration gapTimeout;
    private final long startNanos = System.nanoTime();
    private final IdleWatch keepAlive;

    private final ReentrantLock lock = new ReentrantLock();
    private volatile State state = State.UNCOMMITTED;
    private SseWriter writer;
    private volatile boolean dataSent;
    private volatile long firstChunkNanos;
    private volatile Attempt attempt;
    private Usage usage = Usage.NONE;

    public CallerStream(ServerResponse res, boolean includeUsage, Duration keepAlive, Duration gapTimeout) {
        this.res = res;
        this.includeUsage = includeUsage;
        this.gapTimeout = gapTimeout;
        this.keepAlive = new IdleWatch("llm-stream-keep-alive", keepAlive, this::keepAlive);
        this.keepAlive.start();
    }

    @Override
    public void chunk(ObjectNode chunk) {
        relay(chunk, null);
    }

    /** Writes {@code text} when given (the provider's own JSON of the chunk), else the chunk. */
    @Override
    public void relay(ObjectNode chunk, String text) {
        JsonNode reported = chunk.get("usage");
        if (reported != null && reported.isObject()) {
            usage = Usage.fromOpenAi(reported);
        }
        if (chunk.path("choices").isEmpty()) {
            if (includeUsage) {
                write(chunk, text);
            }
            return;
        }
        if (firstChunkNanos == 0) {
            firstChunkNanos = System.nanoTime();
        }
        write(chunk, text);
        dataSent = true;
    }

    /** A guard for one provider attempt, watched for its first-token and gap timeouts. */
    public UpstreamGuard guard() {
        return new Attempt();
    }

    /** Whether the caller received part of the answer (then nothing may be retried). */
    public boolean dataSent() {
        return dataSent;
    }

    /**
     * Ends the stream without writing, if nothing was written yet, so that the failure can still be answered with
     * an HTTP error status; otherwise (the 200 and SSE headers went out) returns {@code false} and the failure
     * must be written as an event.
     */
    public boolean endIfUncommitted() {
        lock.lock();
        try {
            boolean uncommitted = state == State.UNCOMMITTED;
            if (uncommitted) {
                state = State.ENDED;
            }
            return uncommitted;
        } finally {
            lock.unlock();
        }
    }

    public boolean callerGone() {
        return state == State.CALLER_GONE;
    }

    public Usage usage() {
        return usage;
    }

    /** Time from the start to the first content chunk, if there was one. */
    public Optional<Duration> timeToFirstChunk() {
        return firstChunkNanos == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(firstChunkNanos - startNanos));
    }

    /** Ends a complete answer with {@code data: [DONE]}. */
    public void done() {
        send(w -> w.data("[DONE]"), true);
    }

    /** Ends a broken answer with {@code data: {"error":{...}}} and no {@code [DONE]}. */
    public void error(Map<String, Object> errorBody) {
        send(w -> w.data(Json.write(errorBody)), true);
    }

    private void write(ObjectNode chunk, String text) {
        String data = text != null ? text : Json.write(chunk);
        send(w -> w.data(data), false);
    }

    /**
     * Writes under the stream's lock, so that a keep-alive can never follow the last event: every transition of
     * {@link State} but {@code UNCOMMITTED -> ENDED} happens here.
     *
     * @param last whether this is the final event of the stream
     */
    private void send(Consumer<SseWriter> action, boolean last) {
        lock.lock();
        try {
            switch (state) {
                case ENDED -> {
                    return;
                }
                case CALLER_GONE -> throw new CallerGoneException(null);
                case UNCOMMITTED -> {
                    writer = SseWriter.open(res);
                    state = State.OPEN;
                }
                case OPEN -> {
                    // written below
                }
            }
            action.accept(writer);
            keepAlive.touch();
            if (last) {
                state = State.ENDED;
            }
        } catch (UncheckedIOException | CloseConnectionException e) {
            state = State.CALLER_GONE;
            throw new CallerGoneException(e);
        } finally {
            lock.unlock();
        }
    }

    /** The keep-alive watch's action: once the caller is gone, the provider attempt is closed and nothing kept. */
    private boolean keepAlive() {
        try {
            send(w -> w.comment("keep-alive"), false);
            return true;
        } catch (CallerGoneException e) {
            Attempt current = attempt;
            if (current != null) {
                current.expire();
            }
            return false;
        }
    }

    @Override
    public void close() {
        keepAlive.close();
        Attempt current = attempt;
        if (current != null) {
            current.release();
        }
    }

    /** One provider attempt: its body, closed when the provider is silent past its first-token or gap timeout. */
    private final class Attempt implements UpstreamGuard {

        private volatile AutoCloseable body;
        private volatile IdleWatch silence;
        private volatile boolean timedOut;

        @Override
        public void watch(AutoCloseable body, Duration firstTokenTimeout) {
            this.body = body;
            attempt = this;
            this.silence = new IdleWatch("llm-provider-watch", firstTokenTimeout, gapTimeout, () -> {
                expire();
                return false;
            });
            silence.start();
        }

        @Override
        public void activity() {
            silence.touch();
        }

        @Override
        public boolean timedOut() {
            return timedOut;
        }

        @Override
        public void release() {
            IdleWatch current = silence;
            if (current != null) {
                current.close();
            }
            if (attempt == this) {
                attempt = null;
            }
        }

        /** Closes the provider stream: its reader wakes with an error and the attempt ends. */
        void expire() {
            timedOut = !callerGone();
            release();
            try {
                body.close();
            } catch (Exception e) {
                // closing is best effort; the reader fails either way
            }
        }
    }
}
