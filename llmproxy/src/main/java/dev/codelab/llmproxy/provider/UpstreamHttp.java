package dev.codelab.llmproxy.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.codelab.shared.hop.HopClient;
import dev.codelab.shared.hop.HopException;
import dev.codelab.shared.hop.HopResponse;
import dev.codelab.shared.http.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP client all providers share: JSON POSTs, error statuses mapped to {@link ProviderException}, and streamed
 * bodies read line by line on the calling virtual thread under an {@link UpstreamGuard}. Each provider host
 * ({@code scheme://host:port}) gets a JDK client of its own ({@link HopClient}): keep-alive connections to it and
 * no cap on connections in flight; no proxy and no redirects: a base URL is used exactly as configured.
 */
public final class UpstreamHttp implements AutoCloseable {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final Duration connectTimeout;
    private final Map<String, HopClient> clients = new ConcurrentHashMap<>();

    /** @param connectTimeout the longest wait for a provider's TCP (and TLS) connection */
    public UpstreamHttp(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /**
     * POSTs {@code body} and returns the answer's bytes; any non-2xx status becomes a {@link ProviderException}
     * (a transport failure keeps the {@code HopException} naming the call and {@code requestId} as its cause).
     * {@code timeout} bounds every wait for the provider: for the status line and headers, and between two reads of
     * the body.
     */
    public byte[] post(
            String provider, String requestId, URI uri, Map<String, String> headers, Object body, Duration timeout) {
        try (HopResponse response = send(provider, requestId, uri, headers, body, timeout)) {
            byte[] answer = readBody(provider, response, timeout);
            if (response.status() / 100 != 2) {
                throw error(provider, response, new String(answer, StandardCharsets.UTF_8));
            }
            return answer;
        }
    }

    /**
     * POSTs {@code body} and opens the answer as lines. The guard starts watching at once, so a provider that is
     * silent past the first-token timeout is cut off. Close the returned lines to abort the call (from any thread).
     */
    public Lines postStream(
            String provider,
            String requestId,
            URI uri,
            Map<String, String> headers,
            Object body,
            Duration timeout,
            UpstreamGuard guard) {
        long sent = System.nanoTime();
        HopResponse response = send(provider, requestId, uri, headers, body, timeout);
        if (response.status() / 100 != 2) {
            try (response) {
                String text;
                try {
                    text = new String(readBody(provider, response, timeout), StandardCharsets.UTF_8);
                } catch (ProviderException e) {
                    text = "";
                }
                throw error(provider, response, text);
            }
        }
        Lines lines = new Lines(provider, response, guard);
        guard.watch(lines, timeout.minusNanos(System.nanoTime() - sent));
        return lines;
    }

    /**
     * Whether anything answers HTTP at {@code uri} within 2 s (any status counts; only a failed connection does
     * not).
     */
    public boolean reachable(URI uri) {
        try (HopResponse ignored = client(uri).exchange(HttpRequest.newBuilder(uri), PROBE_TIMEOUT, null)) {
            return true;
        } catch (HopException e) {
            return false;
        }
    }

    private HopResponse send(
            String provider, String requestId, URI uri, Map<String, String> headers, Object body, Duration timeout) {
        byte[] entity;
        try {
            entity = Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("A provider request body could not be written as JSON", e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(entity));
        headers.forEach(request::header);
        try {
            return client(uri).exchange(request, timeout, requestId);
        } catch (HopException e) {
            throw ProviderException.transport(
                    provider, e, "no answer within " + timeout.toSeconds() + " s", "connection failed");
        }
    }

    /** The client for {@code uri}'s host, made on first use. */
    private HopClient client(URI uri) {
        String origin = uri.getScheme() + "://" + uri.getRawAuthority();
        return clients.computeIfAbsent(origin, host -> new HopClient(host, connectTimeout));
    }

    private static byte[] readBody(String provider, HopResponse response, Duration timeout) {
        try {
            return response.bytes();
        } catch (HopException e) {
            throw ProviderException.transport(
                    provider, e, "no answer within " + timeout.toSeconds() + " s", "connection failed");
        }
    }

    private static ProviderException error(String provider, HopResponse response, String body) {
        String message = ProviderException.messageOf(body);
        OptionalLong retryAfter =
                response.header("Retry-After").map(UpstreamHttp::seconds).orElse(OptionalLong.empty());
        return ProviderException.fromStatus(provider, response.status(), message, retryAfter);
    }

    private static OptionalLong seconds(String value) {
        try {
            return OptionalLong.of(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Closes the kept-alive connections of every provider host. */
    @Override
    public void close() {
        clients.values().forEach(HopClient::close);
    }

    /**
     * A provider body, line by line; a failure while reading becomes a {@link ProviderException}. Closing it
     * (from any thread) closes the response, and with it the connection unless the body was read to its end.
     */
    public static final class Lines implements Iterator<String>, AutoCloseable {

        private final String provider;
        private final HopResponse response;
        private final BufferedReader reader;
        private final UpstreamGuard guard;
        private String line;
        private boolean ended;

        Lines(String provider, HopResponse response, UpstreamGuard guard) {
            this.provider = provider;
            this.response = response;
            this.reader = response.reader();
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
            } catch (HopException e) {
                if (guard.timedOut()) {
                    // the guard closed the body of a provider that was too slow
                    throw ProviderException.timeout(provider, "the stream went silent");
                }
                throw ProviderException.transport(provider, e, "the stream went silent", "stream broke");
            } catch (IOException e) {
                throw ProviderException.broken(provider, "stream broke: " + e.getMessage());
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
