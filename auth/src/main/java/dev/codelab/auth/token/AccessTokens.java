package dev.codelab.auth.token;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.codelab.shared.jwt.AccessToken;
import dev.codelab.shared.jwt.InvalidTokenException;
import dev.codelab.shared.jwt.JwtVerifier;
import dev.codelab.shared.jwt.VerificationKeys;
import io.helidon.security.jwt.JwtHeaders;
import io.helidon.security.jwt.jwk.JwkRSA;
import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Signs access tokens (RS256 JWTs, header {@code alg kid typ}) with the ring's current key, and checks them
 * again for introspection and the admin API through the same {@link JwtVerifier} the gateway uses, against the
 * ring itself and with no leeway. Claims, in this order: {@code iss sub aud exp iat nbf jti type client_id scope};
 * {@code aud} is a single string, times are integer epoch seconds.
 *
 * <p>The header comes from the library's {@link JwtHeaders} and the signature from {@link JwkRSA#sign}. The
 * payload is written here: the library's {@code Jwt} builder keeps payload claims in a {@code HashMap} (no
 * order), writes {@code aud} as an array and adds a {@code upn} claim, so it cannot produce the documented token.
 */
public final class AccessTokens {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    /** One factory: {@code Json.createObjectBuilder()} looks the JSON provider up again on every call. */
    private static final JsonBuilderFactory JSON = Json.createBuilderFactory(Map.of());

    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {};

    private final Supplier<JwkRSA> signingKey;
    private final JwtVerifier verifier;
    private final String issuer;
    private final String audience;
    private final Clock clock;

    /**
     * @param signingKey the key to sign with now (the ring's newest active key)
     * @param keys       every key whose tokens still verify (the ring)
     */
    public AccessTokens(
            Supplier<JwkRSA> signingKey, VerificationKeys keys, String issuer, String audience, Clock clock) {
        this.signingKey = signingKey;
        this.verifier = new JwtVerifier(keys, issuer, audience, Duration.ZERO, clock);
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
    }

    public String issue(String subject, String clientId, String scope, int lifetimeSeconds) {
        JwkRSA key = signingKey.get();
        long now = clock.instant().getEpochSecond();
        JsonObject header = JwtHeaders.builder()
                .algorithm(JwkRSA.ALG_RS256)
                .keyId(key.keyId())
                .type("JWT")
                .build()
                .headerJson();
        JsonObject claims = JSON.createObjectBuilder()
                .add("iss", issuer)
                .add("sub", subject)
                .add("aud", audience)
                .add("exp", now + lifetimeSeconds)
                .add("iat", now)
                .add("nbf", now)
                .add("jti", UUID.randomUUID().toString())
                .add("type", "access")
                .add("client_id", clientId)
                .add("scope", scope)
                .build();
        String signingInput = encode(header) + "." + encode(claims);
        return signingInput + "."
                + BASE64URL.encodeToString(key.sign(signingInput.getBytes(StandardCharsets.US_ASCII)));
    }

    /** A valid, unexpired access token this service signed; empty for anything else. */
    public Optional<AccessToken> verify(String token) {
        try {
            return Optional.of(verifier.verify(token));
        } catch (InvalidTokenException e) {
            return Optional.empty();
        }
    }

    /** The token's claims as the REST layer writes them, in the token's order (introspection answers them). */
    public static Map<String, Object> claims(AccessToken token) {
        JsonObjectBuilder claims = JSON.createObjectBuilder();
        token.claims().forEach(claims::add);
        try {
            return dev.codelab.shared.http.Json.MAPPER.readValue(claims.build().toString(), JSON_OBJECT);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Claims of a verified token are not JSON", e);
        }
    }

    private static String encode(JsonObject json) {
        return BASE64URL.encodeToString(json.toString().getBytes(StandardCharsets.UTF_8));
    }
}
