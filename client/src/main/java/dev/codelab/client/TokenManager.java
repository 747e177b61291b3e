package dev.codelab.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Logs in and keeps the access token fresh. The store is read on every call, so two processes sharing one
 * credentials file see each other's refreshes (refresh tokens rotate; presenting a used one revokes the login).
 * Methods are synchronized so that concurrent callers trigger a single refresh.
 */
final class TokenManager {

    /** Refresh this long before the access token expires, so a request never leaves with a token about to die. */
    private static final long REFRESH_MARGIN_SECONDS = 60;

    private final Http http;
    private final URI tokenEndpoint;
    private final String clientId;
    private final TokenStore store;
    private final Clock clock;

    TokenManager(Http http, URI tokenEndpoint, String clientId, TokenStore store, Clock clock) {
        this.http = http;
        this.tokenEndpoint = tokenEndpoint;
        this.clientId = clientId;
        this.store = store;
        this.clock = clock;
    }

    synchronized Tokens login(String username, String password) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("username", username);
        form.put("password", password);
        form.put("client_id", clientId);
        HttpResponse<String> response = post(form);
        if (response.statusCode() != 200) {
            throw Http.failure(response);
        }
        return saved(response);
    }

    /** A valid access token, refreshed first when it is about to expire. */
    synchronized String accessToken() {
        Tokens tokens = stored();
        if (tokens.expiresWithin(clock.instant(), REFRESH_MARGIN_SECONDS)) {
            tokens = refresh(tokens);
        }
        return tokens.accessToken();
    }

    /**
     * The server refused {@code rejected}: refresh, unless another caller already replaced that token meanwhile.
     */
    synchronized String renewAfterRejection(String rejected) {
        Tokens tokens = stored();
        if (!tokens.accessToken().equals(rejected)) {
            return tokens.accessToken();
        }
        return refresh(tokens).accessToken();
    }

    synchronized void forget() {
        store.clear();
    }

    private Tokens stored() {
        return store.load().orElseThrow(() -> new AuthenticationRequiredException(0, "Not logged in."));
    }

    private Tokens refresh(Tokens tokens) {
        if (tokens.refreshToken() == null) {
            throw new AuthenticationRequiredException(
                    0, "The access token expired and there is no refresh token; log in again.");
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", tokens.refreshToken());
        form.put("client_id", clientId);
        HttpResponse<String> response = post(form);
        if (response.statusCode() == 400 || response.statusCode() == 401) {
            CodeLabException failure = Http.failure(response);
            throw new AuthenticationRequiredException(
                    response.statusCode(),
                    "The login expired or was revoked (" + failure.getMessage() + "); log in again.");
        }
        if (response.statusCode() != 200) {
            throw Http.failure(response);
        }
        return saved(response);
    }

    private HttpResponse<String> post(Map<String, String> form) {
        return http.send(HttpRequest.newBuilder(tokenEndpoint)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Http.form(form)))
                .build());
    }

    private Tokens saved(HttpResponse<String> response) {
        JsonNode body = CodeLabClient.parse(response, JsonNode.class);
        String access =
                Objects.requireNonNull(body.path("access_token").textValue(), "token answer without access_token");
        Tokens tokens = new Tokens(
                access,
                body.path("refresh_token").textValue(),
                clock.instant().plusSeconds(body.path("expires_in").asLong(900)),
                body.path("scope").asText(""));
        store.save(tokens);
        return tokens;
    }
}
