package dev.codelab.shared.jwt;

import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkKeys;
import io.helidon.security.jwt.jwk.JwkRSA;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies the auth service's access tokens locally: RS256 only (so neither {@code none} nor an HMAC keyed
 * with the public key can pass), signature by the published key the header's {@code kid} names, then
 * {@code iss}, {@code aud}, {@code exp}/{@code nbf} with a leeway, and {@code type = access}. Resource servers
 * check against the JWKS they fetched ({@link JwksSource}, with a leeway for clock skew); the auth service checks
 * its own tokens (introspection, admin API) through this same class against its key ring, with no leeway.
 *
 * <p>A client sends the same access token for its whole life, so a token that passed is remembered (by its
 * exact text) and not verified again: a remembered token is still refused once it expires or once its key is
 * no longer in the key set. The memo holds at most {@value #MAX_REMEMBERED} tokens and starts over when full.
 */
public final class JwtVerifier {

    public static final int MAX_REMEMBERED = 4096;

    private final VerificationKeys keys;
    private final String issuer;
    private final String audience;
    private final Duration leeway;
    private final Clock clock;
    private final ConcurrentHashMap<String, Verified> remembered = new ConcurrentHashMap<>();

    public JwtVerifier(VerificationKeys keys, String issuer, String audience, Duration leeway, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.audience = audience;
        this.leeway = leeway;
        this.clock = clock;
    }

    public AccessToken verify(String token) throws InvalidTokenException {
        Verified known = token == null ? null : remembered.get(token);
        if (known != null && !expired(known.token().expires()) && keys.has(known.kid())) {
            return known.token();
        }
        SignedJwt signed = parse(token);
        Jwt jwt = signed.getJwt();
        if (!JwkRSA.ALG_RS256.equals(jwt.headers().algorithm().orElse(""))) {
            throw new InvalidTokenException("Unsupported token algorithm");
        }
        String kid = jwt.headers().keyId().orElseThrow(() -> new InvalidTokenException("Token has no key id"));
        Jwk key = keys.key(kid).orElseThrow(() -> new InvalidTokenException("Unknown signing key"));
        if (!(key instanceof JwkRSA)) {
            throw new InvalidTokenException("Unsupported signing key");
        }
        if (!signed.verifySignature(JwkKeys.builder().addKey(key).build(), Jwk.NONE_JWK)
                .isValid()) {
            throw new InvalidTokenException("Invalid token signature");
        }
        checkClaims(jwt);
        String subject = jwt.subject().orElseThrow(() -> new InvalidTokenException("Token has no subject"));
        AccessToken verified = new AccessToken(
                subject,
                stringClaim(jwt, "client_id").orElse(""),
                scopes(jwt),
                jwt.expirationTime().orElseThrow(),
                jwt.jwtId().orElse(""),
                jwt.payloadClaims());
        if (remembered.size() >= MAX_REMEMBERED) {
            remembered.clear();
        }
        remembered.put(token, new Verified(verified, kid));
        return verified;
    }

    private record Verified(AccessToken token, String kid) {}

    private void checkClaims(Jwt jwt) throws InvalidTokenException {
        Instant now = clock.instant();
        if (!issuer.equals(jwt.issuer().orElse(""))) {
            throw new InvalidTokenException("Invalid token issuer");
        }
        if (!jwt.audience().orElse(List.of()).contains(audience)) {
            throw new InvalidTokenException("Invalid token audience");
        }
        Instant expires = jwt.expirationTime().orElseThrow(() -> new InvalidTokenException("Token has no expiry"));
        if (expired(expires)) {
            throw new InvalidTokenException("Token has expired");
        }
        Optional<Instant> notBefore = jwt.notBefore();
        if (notBefore.isPresent() && notBefore.get().minus(leeway).isAfter(now)) {
            throw new InvalidTokenException("Token is not valid yet");
        }
        if (!"access".equals(stringClaim(jwt, "type").orElse(""))) {
            throw new InvalidTokenException("Not an access token");
        }
    }

    /** {@code exp} is the first instant the token is no longer valid (RFC 7519 section 4.1.4), plus the leeway. */
    private boolean expired(Instant expires) {
        return !expires.plus(leeway).isAfter(clock.instant());
    }

    private static SignedJwt parse(String token) throws InvalidTokenException {
        if (token == null || token.isBlank() || token.length() > 8192) {
            throw new InvalidTokenException("Missing or malformed token");
        }
        try {
            return SignedJwt.parseToken(token);
        } catch (RuntimeException e) {
            throw new InvalidTokenException("Malformed token");
        }
    }

    private static Optional<String> stringClaim(Jwt jwt, String name) {
        return jwt.payloadClaim(name)
                .filter(v -> v.getValueType() == JsonValue.ValueType.STRING)
                .map(v -> ((JsonString) v).getString());
    }

    private static Set<String> scopes(Jwt jwt) {
        return stringClaim(jwt, "scope")
                .map(s -> new LinkedHashSet<>(Arrays.asList(s.trim().split("\\s+"))))
                .map(Set::copyOf)
                .orElse(Set.of());
    }
}
