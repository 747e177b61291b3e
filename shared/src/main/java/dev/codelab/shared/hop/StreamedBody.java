package dev.codelab.shared.hop;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * An answer's body as the JDK client receives it, read as a stream by one blocking thread, with a few chunks of demand
 * kept open ahead of that thread. The JDK's own {@code BodySubscribers.ofInputStream()} asks for one chunk at a time:
 * after each chunk the connection stopped reading, and the reading thread's next request re-armed it through the
 * client's selector thread (an eventfd wake-up, an {@code epoll_ctl} and one more selector loop), for every token of
 * every streamed answer on every hop (issue #20, docs/benchmarks.md). With demand open, the selector thread reads each
 * chunk as it arrives and only the reading thread is woken. At most {@link #WINDOW} chunks wait unread.
 *
 * <p>Like the JDK's stream: a failed exchange fails the read that meets it, and {@link #close} (from any thread)
 * cancels an unfinished exchange, so its connection is closed, and fails a read blocked on it at once.
 */
final class StreamedBody extends InputStream implements HttpResponse.BodySubscriber<InputStream> {

    static final int WINDOW = 8;

    private static final Object END = new Object();
    private static final Object CLOSED = new Object();

    /** Chunks ({@code List<ByteBuffer>}), then {@link #END} or the exchange's failure; {@link #CLOSED} on close. */
    private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();

    private volatile Flow.Subscription subscription;
    private volatile boolean closed;
    private Iterator<ByteBuffer> chunk = List.<ByteBuffer>of().iterator();
    private ByteBuffer buffer = ByteBuffer.allocate(0);
    private int taken;
    private boolean ended;

    @Override
    public CompletionStage<InputStream> getBody() {
        return CompletableFuture.completedStage(this);
    }

    @Override
    public void onSubscribe(Flow.Subscription given) {
        subscription = given;
        if (closed) {
            given.cancel();
        } else {
            given.request(WINDOW);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        arrived.add(item);
    }

    @Override
    public void onError(Throwable failure) {
        arrived.add(failure);
    }

    @Override
    public void onComplete() {
        arrived.add(END);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int read = Math.min(length, buffer.remaining());
        buffer.get(into, offset, read);
        return read;
    }

    @Override
    public int available() {
        return buffer.remaining();
    }

    /** Waits until some of the body is in {@link #buffer}; false at its end. */
    private boolean fill() throws IOException {
        while (!buffer.hasRemaining()) {
            if (closed) {
                throw new IOException("closed");
            }
            if (chunk.hasNext()) {
                buffer = chunk.next();
                continue;
            }
            if (ended) {
                return false;
            }
            next(take());
        }
        return true;
    }

    private void next(Object item) throws IOException {
        if (item == END) {
            ended = true;
        } else if (item == CLOSED) {
            throw new IOException("closed");
        } else if (item instanceof Throwable failure) {
            throw new IOException(failure);
        } else {
            @SuppressWarnings("unchecked")
            List<ByteBuffer> buffers = (List<ByteBuffer>) item;
            chunk = buffers.iterator();
            askForMore();
        }
    }

    /** Every half window taken, as many more are asked for: demand never runs out while the reader keeps up. */
    private void askForMore() {
        if (++taken >= WINDOW / 2) {
            subscription.request(taken);
            taken = 0;
        }
    }

    private Object take() throws InterruptedIOException {
        try {
            return arrived.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the body");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Flow.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
        arrived.add(CLOSED);
    }
}
