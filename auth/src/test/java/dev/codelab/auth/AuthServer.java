package dev.codelab.auth;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.jwt.JwksSource;
import dev.codelab.shared.jwt.JwtVerifier;
import io.helidon.webserver.WebServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link AuthService} as a client reaches it, with the HTTP helpers the tests share: the test server of a
 * {@code @ServerTest} class ({@link AuthService#at}), or a replica next to it on a server of its own
 * ({@link #sibling}).
 */
final class AuthServer implements AutoCloseable {

    static final String INTERNAL_SECRET = AuthService.INTERNAL_SECRET;
    static final String FLUTTER = "codelab-flutter-app";
    static final String INTERNAL = "codelab-internal";

    final MutableClock clock;
    final AuthApp app;
    final HttpClient http = HttpClient.newHttpClient();
    private final AuthService service;
    private final String base;
    private final WebServer ownServer;

    AuthServer(AuthService service, String base, WebServer ownServer) {
        this.service = service;
        this.base = base;
        this.ownServer = ownServer;
        this.clock = service.clock;
        this.app = service.app;
    }

    /** A second server over the same database, Redis and clock (another replica, or other settings). */
    AuthServer sibling(Map<String, String> overrides) {
        return service.sibling(overrides).serve();
    }

    String base() {
        return base;
    }

    HttpResponse<String> post(String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).GET().build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A form body from name/value pairs, url-encoded. */
    static String form(String... pairs) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < pairs.length; i += 2) {
            parts.add(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return String.join("&", parts);
    }

    static Map<String, Object> json(HttpResponse<String> response) {
        try {
            return Json.MAPPER.readValue(response.body(), new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (Exception e) {
            throw new AssertionError("Not JSON: " + response.body(), e);
        }
    }

    HttpResponse<String> login(String username, String password) {
        return post("/oauth/token", passwordGrant(username, password));
    }

    /** A password grant asking for {@code scope}. */
    HttpResponse<String> login(String username, String password, String scope) {
        return post("/oauth/token", passwordGrant(username, password) + "&" + form("scope", scope));
    }

    /** The form of a password grant by the IDE's client, the order of its fields as the IDE sends them. */
    static String passwordGrant(String username, String password) {
        return form("grant_type", "password", "username", username, "password", password, "client_id", FLUTTER);
    }

    HttpResponse<String> refresh(String refreshToken) {
        return post(
                "/oauth/token",
                form("grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", FLUTTER));
    }

    String newUser() {
        return service.newUser();
    }

    /** The verifier the gateway uses, pointed at this server's JWKS. */
    JwtVerifier verifier() {
        return new JwtVerifier(
                new JwksSource(URI.create(base() + "/.well-known/jwks.json"), clock),
                "https://auth.codelab.local",
                "codelab-api",
                Duration.ofSeconds(30),
                clock);
    }

    List<String> sql(String query) {
        return service.sql(query);
    }

    /** Stops this server if it is its own, and releases the app's pools. */
    @Override
    public void close() {
        if (ownServer != null) {
            ownServer.stop();
        }
        service.close();
    }
}
