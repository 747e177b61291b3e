package dev.codelab.gateway.agent;

import dev.codelab.shared.hop.HopClient;
import dev.codelab.shared.hop.HopException;
import dev.codelab.shared.hop.HopResponse;
import dev.codelab.shared.http.InternalAuthFilter;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.http.RequestLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The agent runtime over HTTP/1.1: its REST endpoints and its SSE turn stream (protocol.md section 2). Every call
 * carries {@code X-Internal-Auth}, the caller's {@code X-User-Id} and the request id.
 *
 * <p>One JDK client for the agent ({@link HopClient}): the calling virtual thread blocks until the answer's
 * headers and then reads its body; kept-alive connections are reused, with no limit on how many run at once; the
 * JVM's proxy settings are ignored.
 */
public final class AgentClient implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);
    private static final String USER_ID = "X-User-Id";

    private final URI baseUrl;
    private final String internalKey;
    private final Duration requestTimeout;
    private final Duration streamHeadersTimeout;
    private final HopClient http;

    /**
     * @param requestTimeout       the longest wait for a REST answer's headers, and then for any read of its body
     * @param streamHeadersTimeout the longest wait for the stream's headers, and then for any read of its body
     */
    public AgentClient(URI baseUrl, String internalKey, Duration requestTimeout, Duration streamHeadersTimeout) {
        this.baseUrl = baseUrl;
        this.internalKey = internalKey;
        this.requestTimeout = requestTimeout;
        this.streamHeadersTimeout = streamHeadersTimeout;
        this.http = new HopClient("agent", CONNECT_TIMEOUT);
    }

    /**
     * One REST exchange.
     *
     * @param pathAndQuery already encoded, starting with {@code /}
     * @param jsonBody     {@code null} for no body
     * @throws AgentFailedException when the agent cannot be reached (503), does not answer in time (504) or breaks
     *                           the exchange (502)
     */
    public AgentResponse send(String method, String pathAndQuery, String userId, String requestId, String jsonBody) {
        HttpRequest.Builder request = request(pathAndQuery, userId, requestId);
        if (jsonBody == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        }
        try (HopResponse response = http.exchange(request, requestTimeout, requestId)) {
            return new AgentResponse(response.status(), response.text());
        } catch (HopException e) {
            throw AgentFailedException.of(e);
        }
    }

    /**
     * Starts a turn: {@code POST /agent/message/stream}. The caller reads the lines and closes the stream;
     * closing it from another thread ends the exchange.
     *
     * @throws IOException when the agent cannot be reached or sends no headers in time ({@link #isTimeout})
     */
    public AgentStream openStream(String userId, String requestId, String jsonBody) throws IOException {
        return new AgentStream(http.exchange(
                request("/agent/message/stream", userId, requestId)
                        .header("Content-Type", "application/json")
                        .header("Accept", "text/event-stream")
                        .POST(HttpRequest.BodyPublishers.ofString(jsonBody)),
                streamHeadersTimeout,
                requestId));
    }

    /** Whether {@code GET /health} answers 200 within two seconds. */
    public boolean isHealthy() {
        try (HopResponse response =
                http.exchange(HttpRequest.newBuilder(baseUrl.resolve("/health")), HEALTH_TIMEOUT, null)) {
            return response.status() == 200;
        } catch (HopException e) {
            return false;
        }
    }

    /**
     * Whether the agent reports its database up ({@code checks.database} of its {@code GET /ready}, which answers
     * 503 with the same body when something is down), each read within two seconds. No answer counts as down.
     */
    public boolean databaseUp(String requestId) {
        try (HopResponse response = http.exchange(request("/ready", null, requestId), HEALTH_TIMEOUT, requestId)) {
            return "up"
                    .equals(Json.read(response.text())
                            .path("checks")
                            .path("database")
                            .asText());
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether a failure of this client is a wait for the agent's answer running out (not the connect). */
    public static boolean isTimeout(IOException e) {
        return e instanceof HopException failure && failure.isTimeout();
    }

    /** Whether a failure while reading a stream's lines is the read timeout running out. */
    public static boolean isTimeout(RuntimeException e) {
        return e instanceof UncheckedIOException io && isTimeout(io.getCause());
    }

    /** Whether a failure of this client means the agent could not be reached at all (also a connect timeout). */
    static boolean isConnectFailure(IOException e) {
        return e instanceof HopException failure && failure.isUnreachable();
    }

    public static String encode(String pathSegmentOrValue) {
        return URLEncoder.encode(pathSegmentOrValue, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Aborts exchanges still in flight and closes the kept-alive connections. */
    @Override
    public void close() {
        http.close();
    }

    private HttpRequest.Builder request(String pathAndQuery, String userId, String requestId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUrl.resolve(pathAndQuery))
                .header(InternalAuthFilter.HEADER.defaultCase(), internalKey)
                .header(RequestLog.HEADER.defaultCase(), requestId);
        if (userId != null) {
            request.header(USER_ID, userId);
        }
        return request;
    }

    /** The agent's status and body, passed on to the client as they are. */
    public record AgentResponse(int status, String body) {

        public boolean isSuccess() {
            return status >= 200 && status < 300;
        }
    }
}
