package dev.codelab.auth.discovery;

import dev.codelab.auth.keys.KeyRing;
import dev.codelab.auth.keys.SigningKey;
import dev.codelab.shared.http.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /.well-known/jwks.json} (every published key) and {@code GET /.well-known/oauth-authorization-server}
 * (RFC 8414 metadata).
 */
public final class WellKnown implements HttpService {

    private final KeyRing keys;
    private final String metadataJson;

    /**
     * @param issuer    the {@code iss} of our tokens
     * @param publicUrl where clients reach this service (endpoint URLs are built from it)
     * @param scopes    every scope a client can be granted
     */
    public WellKnown(KeyRing keys, String issuer, String publicUrl, List<String> scopes) {
        this.keys = keys;
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("issuer", issuer);
        meta.put("token_endpoint", publicUrl + "/oauth/token");
        meta.put("jwks_uri", publicUrl + "/.well-known/jwks.json");
        meta.put("revocation_endpoint", publicUrl + "/oauth/revoke");
        meta.put("introspection_endpoint", publicUrl + "/oauth/introspect");
        meta.put("grant_types_supported", List.of("password", "refresh_token", "client_credentials"));
        meta.put("response_types_supported", List.of());
        meta.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post", "none"));
        meta.put(
                "revocation_endpoint_auth_methods_supported",
                List.of("client_secret_basic", "client_secret_post", "none"));
        meta.put("introspection_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        meta.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS256"));
        meta.put("scopes_supported", scopes);
        this.metadataJson = Json.write(meta);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/.well-known/jwks.json", this::jwks).get("/.well-known/oauth-authorization-server", this::metadata);
    }

    private void jwks(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=" + KeyRing.JWKS_CACHE_TTL.toSeconds());
        Json.send(
                res,
                Status.OK_200,
                Map.of("keys", keys.keys().stream().map(SigningKey::publicJwk).toList()));
    }

    private void metadata(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(metadataJson);
    }
}
