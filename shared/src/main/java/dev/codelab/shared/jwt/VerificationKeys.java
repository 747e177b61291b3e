package dev.codelab.shared.jwt;

import io.helidon.security.jwt.jwk.Jwk;
import java.util.Optional;

/**
 * Where {@link JwtVerifier} finds the public key a token's {@code kid} names: the JWKS fetched from the auth
 * service for resource servers ({@link JwksSource}), the key ring itself inside the auth service.
 */
@FunctionalInterface
public interface VerificationKeys {

    /** The key named {@code kid}; may fetch or reload to find one it does not know yet. */
    Optional<Jwk> key(String kid);

    /**
     * Whether the keys held now name {@code kid}; never fetches (a remembered token is checked with it). Keys held
     * in memory answer it with {@link #key}; a source that fetches overrides it.
     */
    default boolean has(String kid) {
        return key(kid).isPresent();
    }
}
