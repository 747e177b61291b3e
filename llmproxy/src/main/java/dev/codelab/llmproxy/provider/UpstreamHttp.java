package dev.codelab.llmproxy.provider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.http.Json;

/**
 * The JDK HTTP client all providers share: JSON POSTs, error statuses mapped to {@link UpstreamException}, and
 * streamed bodies read line by line under an {@link UpstreamGuard}.
 */
public final class UpstreamHttp implements AutoCloseable {

    private static final int MAX_ERROR_BODY = 4096;

    private final HttpClient client;

    public UpstreamHttp(Duration connectTimeout) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    /** POSTs {@code body} and parses the JSON answer; any non-2xx status becomes an {@link UpstreamException}. */
    public JsonNode postJson(String provider, URI uri, Map<String, String> headers, Object body, Duration timeout) {
        HttpResponse<String> response = send(provider, request(uri, headers, body, timeout), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw error(provider, response, response.body());
        }
        try {
            return Json.read(response.body());
        } catch (IOException e) {
            throw UpstreamException.broken(provider, "answer is not JSON");
        }
    }

    /**
     * POSTs {@code body} and opens the answer as lines. The guard starts watching at once, so a provider that is
     * silent past the first-token timeout is cut off. Close the returned lines to abort the call.
     */
    public Lines postStream(String provider, URI uri, Map<String, String> headers, Object body, Duration timeout,
                            UpstreamGuard guard) {
        long sent = System.nanoTime();
        HttpResponse<Stream<String>> response = send(provider, request(uri, headers, body, timeout),
                HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() / 100 != 2) {
            String text;
            try (Stream<String> lines = response.body()) {
                text = lines.collect(Collectors.joining("\n"));
            } catch (UncheckedIOException e) {
                text = "";
            }
            throw error(provider, response, text);
        }
        Lines lines = new Lines(provider, response.body(), guard);
        guard.watch(lines, timeout.minusNanos(System.nanoTime() - sent));
        return lines;
    }

    /** Whether anything answers HTTP at {@code uri} (any status counts; only a failed connection does not). */
    public boolean reachable(URI uri, Duration timeout) {
        try {
            client.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static HttpRequest request(URI uri, Map<String, String> headers, Object body, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
        headers.forEach(builder::header);
        return builder.build();
    }

    private <T> HttpResponse<T> send(String provider, HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return client.send(request, handler);
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw UpstreamException.connectFailed(provider, e);
        } catch (HttpTimeoutException e) {
            throw UpstreamException.timeout(provider, "no answer within " + request.timeout().orElseThrow().toSeconds() + " s");
        } catch (IOException e) {
            throw UpstreamException.broken(provider, "connection failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw UpstreamException.broken(provider, "call interrupted");
        }
    }

    private static UpstreamException error(String provider, HttpResponse<?> response, String body) {
        String message = errorMessage(body);
        OptionalLong retryAfter = response.headers().firstValue("retry-after").map(UpstreamHttp::seconds).orElse(OptionalLong.empty());
        return UpstreamException.fromStatus(provider, response.statusCode(), message, retryAfter);
    }

    /** The message of an OpenAI, Anthropic or Ollama error body, or the body itself (shortened). */
    static String errorMessage(String body) {
        try {
            JsonNode error = Json.read(body).path("error");
            if (error.isTextual()) {
                return error.asText();
            }
            if (error.path("message").isTextual()) {
                return error.path("message").asText();
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: fall through to the raw text
        }
        String text = body == null ? "" : body.strip();
        return text.length() > MAX_ERROR_BODY ? text.substring(0, MAX_ERROR_BODY) : text;
    }

    private static OptionalLong seconds(String value) {
        try {
            return OptionalLong.of(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Aborts calls still in flight: {@code close()} would wait for every open provider stream to end. */
    @Override
    public void close() {
        client.shutdownNow();
    }

    /** A provider body, line by line; a failure while reading becomes an {@link UpstreamException}. */
    public static final class Lines implements Iterator<String>, AutoCloseable {

        private final String provider;
        private final Stream<String> body;
        private final Iterator<String> lines;
        private final UpstreamGuard guard;

        Lines(String provider, Stream<String> body, UpstreamGuard guard) {
            this.provider = provider;
            this.body = body;
            this.lines = body.iterator();
            this.guard = guard;
        }

        @Override
        public boolean hasNext() {
            try {
                boolean more = lines.hasNext();
                if (more) {
                    guard.activity();
                }
                return more;
            } catch (UncheckedIOException e) {
                if (guard.timedOut()) {
                    throw UpstreamException.timeout(provider, "the stream went silent");
                }
                throw UpstreamException.broken(provider, "stream broke: " + e.getCause().getMessage());
            }
        }

        @Override
        public String next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return lines.next();
        }

        @Override
        public void close() {
            guard.release();
            body.close();
        }
    }
}
