package dev.codelab.gateway.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import dev.codelab.shared.http.InternalAuthFilter;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.http.RequestLog;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;

/**
 * The agent runtime over HTTP/1.1: its REST endpoints and its SSE turn stream (protocol.md section 2). Every call
 * carries {@code X-Internal-Auth}, the caller's {@code X-User-Id} and the request id.
 *
 * <p>Helidon's blocking client reads the socket on the calling virtual thread, with no selector thread or
 * executor in between. Its connections are kept alive in a cache of this client's own; there is no limit on how
 * many run at once. Like the JDK client before it, it ignores the JVM's proxy settings.
 */
public final class AgentClient implements AutoCloseable {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);
    private static final HeaderName USER_ID = HeaderNames.create("X-User-Id");

    private final String internalKey;
    private final Duration requestTimeout;
    private final Duration streamHeadersTimeout;
    private final Http1Client http;

    /**
     * @param requestTimeout       the longest wait for any read of a REST answer
     * @param streamHeadersTimeout the longest wait for the stream's headers, and then for any read of its body
     */
    public AgentClient(URI baseUrl, String internalKey, Duration requestTimeout, Duration streamHeadersTimeout) {
        this.internalKey = internalKey;
        this.requestTimeout = requestTimeout;
        this.streamHeadersTimeout = streamHeadersTimeout;
        this.http = Http1Client.builder()
                .baseUri(baseUrl)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(false)
                .proxy(Proxy.noProxy())
                // every SSE event is a small write: Nagle would hold it back until the previous one is acknowledged
                .socketOptions(options -> options.tcpNoDelay(true))
                .shareConnectionCache(false)
                .build();
    }

    /**
     * One REST exchange.
     *
     * @param pathAndQuery already encoded, starting with {@code /}
     * @param jsonBody     {@code null} for no body
     * @throws UpstreamException when the agent cannot be reached (503), does not answer in time (504) or breaks
     *                           the exchange (502)
     */
    public AgentResponse send(String method, String pathAndQuery, String userId, String requestId, String jsonBody) {
        Http1ClientRequest request = request(Method.create(method), pathAndQuery, userId, requestId).readTimeout(requestTimeout);
        try (Http1ClientResponse response = jsonBody == null
                ? request.request()
                : request.header(HeaderNames.CONTENT_TYPE, "application/json").submit(jsonBody)) {
            String body = response.entity().hasEntity() ? response.as(String.class) : "";
            return new AgentResponse(response.status().code(), body);
        } catch (RuntimeException e) {
            throw UpstreamException.of(ioFailure(e));
        }
    }

    /**
     * Starts a turn: {@code POST /agent/message/stream}. The caller reads the lines and closes the stream;
     * closing it from another thread ends the exchange.
     *
     * @throws IOException when the agent cannot be reached or sends no headers in time ({@link #isTimeout})
     */
    public AgentStream openStream(String userId, String requestId, String jsonBody) throws IOException {
        try {
            return new AgentStream(request(Method.POST, "/agent/message/stream", userId, requestId)
                    .readTimeout(streamHeadersTimeout)
                    .header(HeaderNames.CONTENT_TYPE, "application/json")
                    .header(HeaderNames.ACCEPT, "text/event-stream")
                    .submit(jsonBody));
        } catch (RuntimeException e) {
            throw ioFailure(e);
        }
    }

    /** Whether {@code GET /health} answers 200, each read within two seconds. */
    public boolean isHealthy() {
        try (Http1ClientResponse response = http.get("/health").readTimeout(HEALTH_TIMEOUT).request()) {
            return response.status().code() == 200;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Whether the agent reports its database up ({@code checks.database} of its {@code GET /ready}, which answers
     * 503 with the same body when something is down), each read within two seconds. No answer counts as down.
     */
    public boolean databaseUp(String requestId) {
        try (Http1ClientResponse response = request(Method.GET, "/ready", null, requestId).readTimeout(HEALTH_TIMEOUT)
                .request()) {
            return "up".equals(Json.read(response.as(String.class)).path("checks").path("database").asText());
        } catch (RuntimeException | IOException e) {
            return false;
        }
    }

    /** Whether a failure of this client is a wait for the agent's answer running out (not the connect). */
    public static boolean isTimeout(IOException e) {
        return e instanceof SocketTimeoutException && !isConnectFailure(e);
    }

    /** Whether a failure while reading a stream's body is the read timeout running out. */
    public static boolean isTimeout(RuntimeException e) {
        return isTimeout(ioFailure(e));
    }

    /**
     * Whether a failure of this client means the agent could not be reached at all. A connect that times out
     * throws the same exception as a read that does; it is told apart by where it was thrown.
     */
    static boolean isConnectFailure(IOException e) {
        return e instanceof ConnectException
                || e instanceof UnknownHostException
                || e instanceof SocketTimeoutException && Arrays.stream(e.getStackTrace())
                        .anyMatch(frame -> frame.getClassName().equals("java.net.Socket") && frame.getMethodName().equals("connect"));
    }

    /**
     * The I/O failure behind an exception of the web client, which reports everything unchecked: socket errors
     * wrapped in {@link UncheckedIOException}, a host name that does not resolve as
     * {@link IllegalArgumentException}, an answer that breaks HTTP (cut short, no status line) as other
     * runtime exceptions.
     */
    static IOException ioFailure(RuntimeException e) {
        if (e instanceof UncheckedIOException io) {
            return io.getCause();
        }
        if (e instanceof IllegalArgumentException) {
            return new UnknownHostException(e.getMessage());
        }
        return new IOException("The agent runtime broke the HTTP exchange", e);
    }

    public static String encode(String pathSegmentOrValue) {
        return URLEncoder.encode(pathSegmentOrValue, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Closes the kept-alive connections. */
    @Override
    public void close() {
        http.closeResource();
    }

    private Http1ClientRequest request(Method method, String pathAndQuery, String userId, String requestId) {
        Http1ClientRequest request = http.method(method)
                .uri(pathAndQuery)
                .skipUriEncoding(true)
                .header(InternalAuthFilter.HEADER, internalKey)
                .header(RequestLog.HEADER, requestId);
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
