package dev.codelab.llmproxy.provider;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.http.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.RuntimeUnknownHostException;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;

/**
 * The HTTP client all providers share (Helidon's blocking HTTP/1.1 client: it reads on the calling virtual thread):
 * JSON POSTs, error statuses mapped to {@link UpstreamException}, and streamed bodies read line by line under an
 * {@link UpstreamGuard}.
 */
public final class UpstreamHttp implements AutoCloseable {

    private static final int MAX_ERROR_BODY = 4096;
    private static final long MAX_SIZED_BODY = 16L * 1024 * 1024;
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final String CONNECT_TIMED_OUT = "Connect timed out";

    private final Http1Client client;
    private final Http1Client probes;

    /** @param connectTimeout the longest wait for a provider's TCP (and TLS) connection */
    public UpstreamHttp(Duration connectTimeout) {
        this.client = client(connectTimeout);
        this.probes = client(PROBE_TIMEOUT);
    }

    /**
     * One client for every provider base URL (requests carry full URIs), keep-alive connections cached per host and
     * no cap on connections in flight; no proxy and no redirects: a base URL is used exactly as configured.
     */
    private static Http1Client client(Duration connectTimeout) {
        return Http1Client.builder()
                .connectTimeout(connectTimeout)
                .proxy(Proxy.noProxy())
                .followRedirects(false)
                // every SSE event is a small write: Nagle would hold it back until the previous one is acknowledged
                .socketOptions(options -> options.tcpNoDelay(true))
                .shareConnectionCache(false)
                .build();
    }

    /** POSTs {@code body} and parses the JSON answer, as {@link #post}. */
    public JsonNode postJson(String provider, URI uri, Map<String, String> headers, Object body, Duration timeout) {
        return json(provider, post(provider, uri, headers, body, timeout));
    }

    /**
     * POSTs {@code body} and returns the answer's bytes; any non-2xx status becomes an {@link UpstreamException}.
     * {@code timeout} bounds every wait for the provider: for the status line and headers, and between two reads of the body.
     */
    public byte[] post(String provider, URI uri, Map<String, String> headers, Object body, Duration timeout) {
        try (HttpClientResponse response = send(provider, uri, headers, body, timeout)) {
            byte[] answer = readBody(provider, response, timeout);
            if (response.status().family() != Status.Family.SUCCESSFUL) {
                throw error(provider, response, new String(answer, StandardCharsets.UTF_8));
            }
            return answer;
        }
    }

    /** A provider's answer parsed as JSON; anything else means the provider is broken. */
    public static JsonNode json(String provider, byte[] answer) {
        try {
            return Json.MAPPER.readTree(answer);
        } catch (IOException e) {
            throw UpstreamException.broken(provider, "answer is not JSON");
        }
    }

    /**
     * POSTs {@code body} and opens the answer as lines. The guard starts watching at once, so a provider that is
     * silent past the first-token timeout is cut off. Close the returned lines to abort the call (from any thread).
     */
    public Lines postStream(String provider, URI uri, Map<String, String> headers, Object body, Duration timeout,
                            UpstreamGuard guard) {
        long sent = System.nanoTime();
        HttpClientResponse response = send(provider, uri, headers, body, timeout);
        if (response.status().family() != Status.Family.SUCCESSFUL) {
            try (response) {
                String text;
                try {
                    text = new String(readBody(provider, response, timeout), StandardCharsets.UTF_8);
                } catch (UpstreamException e) {
                    text = "";
                }
                throw error(provider, response, text);
            }
        }
        Lines lines = new Lines(provider, response, guard);
        guard.watch(lines, timeout.minusNanos(System.nanoTime() - sent));
        return lines;
    }

    /** Whether anything answers HTTP at {@code uri} within 2 s (any status counts; only a failed connection does not). */
    public boolean reachable(URI uri) {
        try (HttpClientResponse ignored = probes.get().uri(uri).readTimeout(PROBE_TIMEOUT).request()) {
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private HttpClientResponse send(String provider, URI uri, Map<String, String> headers, Object body, Duration timeout) {
        Http1ClientRequest request = client.post()
                .uri(uri)
                .readTimeout(timeout)
                .header(HeaderNames.CONTENT_TYPE, "application/json");
        headers.forEach((name, value) -> request.header(HeaderNames.create(name), value));
        byte[] entity;
        try {
            entity = Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("A provider request body could not be written as JSON", e);
        }
        try {
            return request.submit(entity);
        } catch (RuntimeException e) {
            throw failure(provider, e, timeout);
        }
    }

    private static byte[] readBody(String provider, HttpClientResponse response, Duration timeout) {
        try {
            return readFully(response);
        } catch (IOException e) {
            throw failure(provider, new UncheckedIOException(e), timeout);
        } catch (RuntimeException e) {
            throw failure(provider, e, timeout);
        }
    }

    /**
     * With a {@code Content-Length} the body is read into an array of exactly that size (the client sizes its read
     * buffers by what is asked for: {@code readAllBytes} would take three of 16 KB), then to its end, which is what
     * lets the connection go back to the keep-alive cache.
     */
    private static byte[] readFully(HttpClientResponse response) throws IOException {
        InputStream in = response.inputStream();
        OptionalLong length = response.headers().contentLength();
        if (length.isEmpty() || length.getAsLong() > MAX_SIZED_BODY) {
            return in.readAllBytes();
        }
        byte[] body = in.readNBytes((int) length.getAsLong());
        in.read();
        return body;
    }

    /**
     * Maps what the client throws: {@link UncheckedIOException} around the socket's exception, a
     * {@link RuntimeUnknownHostException}, or (a connection closed mid-answer) a {@code DataReader} exception.
     */
    private static UpstreamException failure(String provider, RuntimeException e, Duration timeout) {
        Throwable cause = e instanceof UncheckedIOException ? e.getCause() : e;
        return switch (cause) {
            case ConnectException refused -> UpstreamException.connectFailed(provider, refused);
            case NoRouteToHostException unroutable -> UpstreamException.connectFailed(provider, unroutable);
            case RuntimeUnknownHostException unknown -> UpstreamException.connectFailed(provider, unknown);
            // the JDK's socket says which wait ran out only in the message
            case SocketTimeoutException late when CONNECT_TIMED_OUT.equals(late.getMessage()) ->
                    UpstreamException.connectFailed(provider, late);
            case SocketTimeoutException late -> UpstreamException.timeout(provider, "no answer within " + timeout.toSeconds() + " s");
            default -> UpstreamException.broken(provider, "connection failed: " + describe(cause));
        };
    }

    private static String describe(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static UpstreamException error(String provider, HttpClientResponse response, String body) {
        String message = errorMessage(body);
        OptionalLong retryAfter = response.headers().first(HeaderNames.RETRY_AFTER).map(UpstreamHttp::seconds).orElse(OptionalLong.empty());
        return UpstreamException.fromStatus(provider, response.status().code(), message, retryAfter);
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

    /** Closes the cached keep-alive connections. */
    @Override
    public void close() {
        client.closeResource();
        probes.closeResource();
    }

    /**
     * A provider body, line by line; a failure while reading becomes an {@link UpstreamException}. Closing it
     * (from any thread) closes the response, and with it the connection unless the body was read to its end.
     */
    public static final class Lines implements Iterator<String>, AutoCloseable {

        private final String provider;
        private final HttpClientResponse response;
        private final BufferedReader reader;
        private final UpstreamGuard guard;
        private String line;
        private boolean ended;

        Lines(String provider, HttpClientResponse response, UpstreamGuard guard) {
            this.provider = provider;
            this.response = response;
            this.reader = new BufferedReader(new InputStreamReader(response.inputStream(), StandardCharsets.UTF_8));
            this.guard = guard;
        }

        @Override
        public boolean hasNext() {
            if (line == null && !ended) {
                line = readLine();
                if (line == null) {
                    ended = true;
                } else {
                    guard.activity();
                }
            }
            return line != null;
        }

        @Override
        public String next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            String next = line;
            line = null;
            return next;
        }

        /** Closing the response from another thread, or the read timeout, surfaces here as an exception. */
        private String readLine() {
            try {
                return reader.readLine();
            } catch (IOException | RuntimeException e) {
                Throwable cause = e instanceof UncheckedIOException ? e.getCause() : e;
                if (guard.timedOut() || cause instanceof SocketTimeoutException) {
                    throw UpstreamException.timeout(provider, "the stream went silent");
                }
                throw UpstreamException.broken(provider, "stream broke: " + describe(cause));
            }
        }

        /** Not the reader: it may be in use by the reading thread, and closing the response wakes that thread. */
        @Override
        public void close() {
            guard.release();
            response.close();
        }
    }
}
