package dev.codelab.llmproxy.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.llmproxy.provider.ChunkSink;
import dev.codelab.llmproxy.provider.UpstreamGuard;
import dev.codelab.llmproxy.provider.Usage;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.sse.SseWriter;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerResponse;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The caller's side of one streamed answer: writes each chunk as SSE the moment it arrives, and runs one
 * virtual thread that watches the provider: a {@code : keep-alive} comment when nothing was written for a while,
 * and the first-token and gap timeouts, which close the provider stream.
 *
 * <p>The SSE response (status 200) opens with the first chunk or keep-alive; until then a failure can still be
 * answered with an HTTP error status.
 */
public final class CallerStream implements ChunkSink, AutoCloseable {

    private final ServerResponse res;
    private final boolean includeUsage;
    private final long keepAliveNanos;
    private final long gapNanos;
    private final long startNanos = System.nanoTime();
    private final Thread watchdog;

    private final ReentrantLock lock = new ReentrantLock();
    private SseWriter writer;
    private boolean ended;
    private volatile boolean dataSent;
    private volatile boolean callerGone;
    private volatile boolean closed;
    private volatile long lastWriteNanos = startNanos;
    private volatile long firstChunkNanos;
    private volatile Watch watch;
    private Usage usage = Usage.NONE;

    public CallerStream(ServerResponse res, boolean includeUsage, Duration keepAlive, Duration gapTimeout) {
        this.res = res;
        this.includeUsage = includeUsage;
        this.keepAliveNanos = keepAlive.toNanos();
        this.gapNanos = gapTimeout.toNanos();
        this.watchdog = Thread.ofVirtual().name("llm-stream-watchdog").start(this::watchLoop);
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

    /** A guard for one provider attempt, watched by this stream's watchdog. */
    public UpstreamGuard guard() {
        return new Watch();
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
            boolean uncommitted = writer == null;
            if (uncommitted) {
                ended = true;
            }
            return uncommitted;
        } finally {
            lock.unlock();
        }
    }

    public boolean callerGone() {
        return callerGone;
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
     * Writes under the stream's lock, so that a keep-alive from the watchdog can never follow the last event.
     *
     * @param last whether this is the final event of the stream
     */
    private void send(Consumer<SseWriter> action, boolean last) {
        lock.lock();
        try {
            if (ended) {
                return;
            }
            if (writer == null) {
                writer = SseWriter.open(res);
            }
            action.accept(writer);
            lastWriteNanos = System.nanoTime();
            ended = last;
        } catch (UncheckedIOException | CloseConnectionException e) {
            callerGone = true;
            throw new CallerGoneException(e);
        } finally {
            lock.unlock();
        }
    }

    private void watchLoop() {
        while (!closed) {
            long now = System.nanoTime();
            Watch current = watch;
            if (current != null && now - current.deadline() >= 0) {
                current.expire();
            }
            if (now - lastWriteNanos >= keepAliveNanos) {
                keepAlive(current);
            }
            long next = lastWriteNanos + keepAliveNanos;
            if (current != null && current.deadline() - next < 0) {
                next = current.deadline();
            }
            LockSupport.parkNanos(this, Math.max(next - System.nanoTime(), 1_000_000));
        }
    }

    private void keepAlive(Watch current) {
        try {
            send(w -> w.comment("keep-alive"), false);
        } catch (CallerGoneException e) {
            if (current != null) {
                current.expire();
            }
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(watchdog);
    }

    /** One provider attempt: its body, and when it must have spoken next. */
    private final class Watch implements UpstreamGuard {

        private volatile AutoCloseable body;
        private volatile long firstTokenDeadline;
        private volatile long lastActivity;
        private volatile boolean timedOut;

        @Override
        public void watch(AutoCloseable body, Duration firstTokenTimeout) {
            this.body = body;
            this.firstTokenDeadline = System.nanoTime() + firstTokenTimeout.toNanos();
            watch = this;
            LockSupport.unpark(watchdog);
        }

        @Override
        public void activity() {
            lastActivity = System.nanoTime();
        }

        @Override
        public boolean timedOut() {
            return timedOut;
        }

        @Override
        public void release() {
            if (watch == this) {
                watch = null;
            }
        }

        long deadline() {
            return lastActivity == 0 ? firstTokenDeadline : lastActivity + gapNanos;
        }

        /** Closes the provider stream: its reader wakes with an error and the attempt ends. */
        void expire() {
            timedOut = !callerGone;
            release();
            try {
                body.close();
            } catch (Exception e) {
                // closing is best effort; the reader fails either way
            }
        }
    }
}
