package dev.codelab.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A client for one CodeLab deployment (the public entry point that serves {@code /oauth/*} and {@code /api/v1/*}).
 *
 * <pre>{@code
 * CodeLabClient client = CodeLabClient.builder("http://localhost:8080").build();
 * client.login("demo", password);
 * Session session = client.sessions().create("my task");
 * try (ChatConnection chat = client.connect(session.sessionId(), frame -> System.out.println(frame), 0)) {
 *     chat.userMessage("Create a file hello.txt with hi");
 *     ...
 * }
 * }</pre>
 *
 * <p>Every call is blocking and may be made from any thread. Access tokens are refreshed before they expire
 * and once more when the server answers 401 (the request is then retried once). Failures throw
 * {@link CodeLabException}; {@link AuthenticationRequiredException} means the user has to log in again.
 */
public final class CodeLabClient {

    /** The public OAuth client of IDEs and the terminal client. */
    public static final String DEFAULT_CLIENT_ID = "codelab-flutter-app";

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final URI baseUrl;
    private final Http http;
    private final TokenManager tokens;
    private final Sessions sessions;

    private CodeLabClient(Builder builder) {
        this.baseUrl = URI.create(builder.baseUrl.replaceAll("/+$", "") + "/");
        this.http = new Http(
                builder.httpClient != null
                        ? builder.httpClient
                        : HttpClient.newBuilder()
                                .connectTimeout(Duration.ofSeconds(10))
                                .build());
        this.tokens = new TokenManager(
                http, baseUrl.resolve("oauth/token"), builder.clientId, builder.tokenStore, builder.clock);
        this.sessions = new Sessions(this);
    }

    /** Starts configuring a client for the deployment at {@code baseUrl}, e.g. {@code http://localhost:8080}. */
    public static Builder builder(String baseUrl) {
        return new Builder(baseUrl);
    }

    /**
     * Logs in with the password grant and stores the tokens.
     *
     * @throws CodeLabException with status 401 and error {@code invalid_grant} for wrong credentials, 429 when locked
     * out
     */
    public Tokens login(String username, String password) {
        return tokens.login(username, password);
    }

    /**
     * A valid access token (refreshed first when it is about to expire), for calls this library does not wrap.
     *
     * @throws AuthenticationRequiredException when there is no login or it cannot be refreshed
     */
    public String accessToken() {
        return tokens.accessToken();
    }

    /** Forgets the stored tokens. */
    public void logout() {
        tokens.forget();
    }

    /** Session management: list, create, get, rename, delete, history, pending approvals. */
    public Sessions sessions() {
        return sessions;
    }

    /**
     * The caller's usage and cost from {@code from} to {@code to} (UTC days {@code YYYY-MM-DD}, both included; null:
     * the first day of this month, today).
     */
    public UsageReport usage(String from, String to) {
        StringBuilder query = new StringBuilder();
        if (from != null) {
            query.append("from=").append(from);
        }
        if (to != null) {
            query.append(query.isEmpty() ? "" : "&").append("to=").append(to);
        }
        return request("GET", "api/v1/usage" + (query.isEmpty() ? "" : "?" + query), null, UsageReport.class);
    }

    /** The agents a session can talk to. */
    public List<Agent> agents() {
        JsonNode body = request("GET", "api/v1/agents", null, JsonNode.class);
        return convert(body.path("agents"), new TypeReference<>() {});
    }

    /**
     * Opens the session's WebSocket (creating the session when it does not exist yet).
     *
     * @param sessionId the session, {@code [A-Za-z0-9._-]{1,128}}
     * @param listener  receives every server frame once, in order, on the socket's thread
     * @param lastSeq   the last {@code seq} already seen (0 for none): the server first replays what came after it
     * @throws CodeLabException when the server refuses the upgrade (401 after a refresh, 404, 429, 400)
     */
    public ChatConnection connect(String sessionId, ChatListener listener, long lastSeq) {
        URI ws = URI.create(baseUrl.toString().replaceFirst("^http", "ws")).resolve("api/v1/ws/" + sessionId);
        ChatConnection connection = new ChatConnection(http.client(), ws, tokens, listener, lastSeq);
        connection.open();
        return connection;
    }

    /** Sends an authorized JSON request, refreshing and retrying once on 401; {@code null} for an empty answer. */
    <T> T request(String method, String path, Object body, Class<T> type) {
        String access = tokens.accessToken();
        HttpResponse<String> response = http.send(authorized(method, path, body, access));
        if (response.statusCode() == 401) {
            response = http.send(authorized(method, path, body, tokens.renewAfterRejection(access)));
        }
        if (response.statusCode() >= 300) {
            throw Http.failure(response);
        }
        return response.body().isEmpty() ? null : parse(response, type);
    }

    static <T> T convert(JsonNode node, TypeReference<T> type) {
        return ApiJson.MAPPER.convertValue(node, type);
    }

    static <T> T parse(HttpResponse<String> response, Class<T> type) {
        try {
            return ApiJson.MAPPER.readValue(response.body(), type);
        } catch (JsonProcessingException e) {
            throw new CodeLabException(
                    response.statusCode(),
                    "invalid_response",
                    "Unexpected answer from " + response.uri() + ": " + e.getOriginalMessage(),
                    null);
        }
    }

    private HttpRequest authorized(String method, String path, Object body, String access) {
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUrl.resolve(path))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + access)
                .header("Accept", "application/json");
        if (body == null) {
            return request.method(method, HttpRequest.BodyPublishers.noBody()).build();
        }
        try {
            return request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(ApiJson.MAPPER.writeValueAsString(body)))
                    .build();
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot serialize the request body", e);
        }
    }

    /** Options of a {@link CodeLabClient}. */
    public static final class Builder {
        private final String baseUrl;
        private TokenStore tokenStore = TokenStore.inMemory();
        private String clientId = DEFAULT_CLIENT_ID;
        private HttpClient httpClient;
        private Clock clock = Clock.systemUTC();

        private Builder(String baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        }

        /** Where tokens are kept (default: in memory). */
        public Builder tokenStore(TokenStore tokenStore) {
            this.tokenStore = Objects.requireNonNull(tokenStore);
            return this;
        }

        /** The OAuth client id (default {@value CodeLabClient#DEFAULT_CLIENT_ID}). */
        public Builder clientId(String clientId) {
            this.clientId = Objects.requireNonNull(clientId);
            return this;
        }

        /** The JDK client to use (default: a new one with a 10 s connect timeout). */
        public Builder httpClient(HttpClient httpClient) {
            this.httpClient = Objects.requireNonNull(httpClient);
            return this;
        }

        /** The clock that decides when tokens expire (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** The configured client. */
        public CodeLabClient build() {
            return new CodeLabClient(this);
        }
    }
}
