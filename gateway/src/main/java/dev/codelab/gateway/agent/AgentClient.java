package dev.codelab.gateway.agent;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;

import dev.codelab.shared.http.InternalAuthFilter;

/**
 * The agent runtime over HTTP: its REST endpoints and its SSE turn stream (protocol.md section 2). Every call
 * carries {@code X-Internal-Auth}, the caller's {@code X-User-Id} and the request id.
 */
public final class AgentClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);

    private final URI baseUrl;
    private final String internalKey;
    private final Duration requestTimeout;
    private final Duration streamHeadersTimeout;
    private final HttpClient http;

    public AgentClient(URI baseUrl, String internalKey, Duration requestTimeout, Duration streamHeadersTimeout) {
        this.baseUrl = baseUrl;
        this.internalKey = internalKey;
        this.requestTimeout = requestTimeout;
        this.streamHeadersTimeout = streamHeadersTimeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
    }

    /**
     * One REST exchange.
     *
     * @param pathAndQuery already encoded, starting with {@code /}
     * @param jsonBody     {@code null} for no body
     * @throws UpstreamException when the agent cannot be reached (503) or does not answer in time (504)
     */
    public AgentResponse send(String method, String pathAndQuery, String userId, String requestId, String jsonBody) {
        HttpRequest.Builder request = request(pathAndQuery, userId, requestId).timeout(requestTimeout);
        if (jsonBody == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new AgentResponse(response.statusCode(), response.body());
        } catch (IOException | UnresolvedAddressException e) {
            throw UpstreamException.of(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw UpstreamException.unavailable();
        }
    }

    /**
     * Starts a turn: {@code POST /agent/message/stream}. The caller reads the lines and closes the stream;
     * closing it from another thread aborts the exchange.
     */
    public HttpResponse<Stream<String>> openStream(String userId, String requestId, String jsonBody)
            throws IOException, InterruptedException {
        HttpRequest request = request("/agent/message/stream", userId, requestId)
                .timeout(streamHeadersTimeout)
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofLines());
        } catch (UnresolvedAddressException e) {
            throw new ConnectException("Cannot resolve the agent runtime's address");
        }
    }

    /** Whether {@code GET /health} answers 200 within two seconds. */
    public boolean isHealthy() {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/health")).timeout(HEALTH_TIMEOUT).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether an exception from {@link #openStream} is the wait for the response headers running out. */
    public static boolean isTimeout(IOException e) {
        return e instanceof HttpTimeoutException && !(e instanceof HttpConnectTimeoutException);
    }

    public static String encode(String pathSegmentOrValue) {
        return URLEncoder.encode(pathSegmentOrValue, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(String pathAndQuery, String userId, String requestId) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .header(InternalAuthFilter.HEADER.defaultCase(), internalKey)
                .header("X-Request-Id", requestId);
        if (userId != null) {
            builder.header("X-User-Id", userId);
        }
        return builder;
    }

    /** The agent's status and body, passed on to the client as they are. */
    public record AgentResponse(int status, String body) {

        public boolean isSuccess() {
            return status >= 200 && status < 300;
        }
    }
}
