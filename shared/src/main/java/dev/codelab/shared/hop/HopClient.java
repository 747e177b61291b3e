package dev.codelab.shared.hop;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * The JDK {@link HttpClient} of one hop to one target (the agent runtime, the LLM proxy, a provider's host),
 * tuned for blocking calls from virtual threads that read streamed answers line by line:
 * <ul>
 *   <li>HTTP/1.1 only: one exchange per connection, so closing an unfinished answer closes its connection
 *       and the peer sees the disconnect at once; kept-alive connections are reused after complete answers;</li>
 *   <li>{@link HttpClient.Builder#NO_PROXY}: an internal hop never goes through the JVM's proxy settings
 *       ({@code http.proxyHost}, a {@code ProxySelector} default), and redirects are not followed;</li>
 *   <li>the client's internal tasks run on the thread that triggers them (mostly its selector thread) instead of
 *       an executor: for every chunk read the JDK client hands a short task (parse the chunk, queue its bytes for
 *       the reading thread) to its executor, and with one virtual thread per task that was a thread start and two
 *       scheduler hand-offs per chunk per hop (issue #20, docs/benchmarks.md). None of those tasks blocks: the
 *       {@code ofInputStream} body queues what it is given and wakes the caller's thread, which reads it;</li>
 *   <li>one timeout for both waits of a blocking read: the status line and headers ({@link HttpRequest#timeout}),
 *       then every read of the body ({@link TimedBody}, as the JDK has no read timeout of its own).</li>
 * </ul>
 * The JDK client sets {@code TCP_NODELAY} on its sockets itself.
 */
public final class HopClient implements AutoCloseable {

    /**
     * The JDK property (read once per JVM, when the first {@link HttpClient} is built) that caps how long a client's
     * selector thread sleeps. A socket closed while its selector is asleep is only shut down for writing (the peer
     * reads end-of-stream) and really closed, so that the peer's next write fails, when the selector wakes: at most
     * 3 s later by default, at most 1 s with this setting, at once when the client has other traffic.
     */
    static final String SELECTOR_TIMEOUT = "jdk.internal.httpclient.selectorTimeout";

    /**
     * The JDK property (read once per JVM, like {@link #SELECTOR_TIMEOUT}) that caps the kept-alive connections a
     * client holds; beyond it the oldest is closed when another is returned. Unbounded by default, and the pool hands
     * out its oldest connection and then finds it by walking every idle one: after a burst (a stalled peer, a GC
     * pause at 1 000 calls/s) left thousands idle, that walk was 5 – 8 % of llmproxy's CPU per call and grew with
     * each stall (issue #20, docs/benchmarks.md). Steady traffic keeps far fewer idle between its calls.
     */
    static final String POOL_SIZE = "jdk.httpclient.connectionPoolSize";

    static {
        System.getProperties().putIfAbsent(SELECTOR_TIMEOUT, "1000");
        System.getProperties().putIfAbsent(POOL_SIZE, "128");
    }

    private final String target;
    private final HttpClient http;

    /**
     * @param target         names the peer in failures (e.g. {@code agent}, {@code openai})
     * @param connectTimeout the longest wait for a TCP (and TLS) connection
     */
    public HopClient(String target, Duration connectTimeout) {
        this.target = target;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .proxy(HttpClient.Builder.NO_PROXY)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .executor(Runnable::run)
                .build();
    }

    /**
     * Sends the request and waits, on the calling thread, for the answer's status and headers; the body is then read
     * by the caller. A thread interrupted while waiting cancels the exchange.
     *
     * @param timeout   the longest wait for the headers, and then for each read of the body
     * @param requestId names the exchange in failures; may be {@code null}
     * @throws HopException when there is no answer (its {@link HopException#kind()} says why)
     */
    public HopResponse exchange(HttpRequest.Builder request, Duration timeout, String requestId) throws HopException {
        HttpRequest built = request.timeout(timeout).build();
        String label = label(built, requestId);
        HttpResponse<InputStream> response;
        try {
            response = http.send(built, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HopException(label, HopException.Kind.ABORTED, "interrupted", e);
        } catch (IOException e) {
            throw failure(label, e);
        }
        return new HopResponse(response, new TimedBody(response.body(), timeout, label));
    }

    private String label(HttpRequest request, String requestId) {
        String exchange = target + " " + request.method() + " " + request.uri().getRawPath();
        return requestId == null ? exchange : exchange + " [request " + requestId + "]";
    }

    /** What the JDK client throws when there is no answer, by kind. */
    private static HopException failure(String label, IOException e) {
        return switch (e) {
            case HttpConnectTimeoutException late ->
                new HopException(label, HopException.Kind.UNREACHABLE, "Connect timed out", late);
            case HttpTimeoutException late ->
                new HopException(label, HopException.Kind.TIMEOUT, TimedBody.READ_TIMED_OUT, late);
            case ConnectException refused ->
                new HopException(label, HopException.Kind.UNREACHABLE, describe(refused), refused);
            case NoRouteToHostException unroutable ->
                new HopException(label, HopException.Kind.UNREACHABLE, describe(unroutable), unroutable);
            case UnknownHostException unknown ->
                new HopException(label, HopException.Kind.UNREACHABLE, describe(unknown), unknown);
            default -> new HopException(label, HopException.Kind.BROKEN, describe(e), e);
        };
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while ((root.getMessage() == null || root.getMessage().isBlank()) && root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null || root.getMessage().isBlank()
                ? root.getClass().getSimpleName()
                : root.getMessage();
    }

    /** Aborts the exchanges still in flight and closes the kept-alive connections. */
    @Override
    public void close() {
        http.shutdownNow();
    }
}
