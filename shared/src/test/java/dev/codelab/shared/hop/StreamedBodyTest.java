package dev.codelab.shared.hop;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/** The body's reads and the demand it keeps open, driven chunk by chunk as the JDK client would. */
class StreamedBodyTest {

    private final Demand demand = new Demand();
    private final StreamedBody body = new StreamedBody();

    @Test
    void chunksAreReadInOrderAcrossTheirBuffersUntilTheEnd() throws IOException {
        body.onSubscribe(demand);
        body.onNext(List.of(text("data: a"), text("b\n")));
        body.onNext(List.of(text("\ndata: c\n\n")));
        body.onComplete();

        assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8), is("data: ab\n\ndata: c\n\n"));
        assertThat(body.read(), is(-1));
        assertThat(body.read(new byte[4], 0, 4), is(-1));
    }

    @Test
    void aWindowOfChunksIsAskedForAtOnceAndEveryHalfWindowTakenIsAskedForAgain() throws IOException {
        body.onSubscribe(demand);
        assertThat(demand.requests, contains((long) StreamedBody.WINDOW));

        int half = StreamedBody.WINDOW / 2;
        for (int i = 0; i < half; i++) {
            body.onNext(List.of(text("x")));
        }
        for (int i = 0; i < half - 1; i++) {
            assertThat(body.read(), is((int) 'x'));
        }
        assertThat(demand.requests, contains((long) StreamedBody.WINDOW));
        assertThat(body.read(), is((int) 'x'));
        assertThat(demand.requests, contains((long) StreamedBody.WINDOW, (long) half));
    }

    @Test
    void theExchangesFailureFailsTheReadThatMeetsIt() throws IOException {
        body.onSubscribe(demand);
        body.onNext(List.of(text("ok")));
        body.onError(new ConnectException("Connection reset"));

        assertThat(body.read(), is((int) 'o'));
        assertThat(body.read(), is((int) 'k'));
        IOException failed = assertThrows(IOException.class, body::read);
        assertThat(failed.getCause().getMessage(), is("Connection reset"));
    }

    @Test
    void closingFromAnotherThreadFailsABlockedReadAndCancelsTheExchange() throws Exception {
        body.onSubscribe(demand);
        CompletableFuture<Throwable> reader = new CompletableFuture<>();
        Thread blocked = Thread.ofVirtual().start(() -> {
            try {
                body.read();
                reader.complete(null);
            } catch (IOException e) {
                reader.complete(e);
            }
        });
        while (blocked.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }

        body.close();

        assertThat(reader.get().getMessage(), is("closed"));
        assertThat(demand.cancelled, is(true));
        assertThrows(IOException.class, body::read);
    }

    @Test
    void aBodyClosedBeforeItsExchangeSubscribesCancelsItThenAndAsksForNothing() {
        body.close();
        body.onSubscribe(demand);

        assertThat(demand.cancelled, is(true));
        assertThat(demand.requests, is(List.of()));
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The exchange's side of the subscription: what was asked for, and whether it was cancelled. */
    private static final class Demand implements Flow.Subscription {

        final List<Long> requests = new ArrayList<>();
        volatile boolean cancelled;

        @Override
        public void request(long n) {
            requests.add(n);
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }
}
