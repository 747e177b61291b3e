package dev.codelab.auth.keys;

import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Map;

/**
 * One RS256 key pair of the ring.
 *
 * @param kid         RFC 7638 thumbprint
 * @param status      {@code published}, {@code active} or {@code retired}
 * @param activatedAt when it starts (or started) signing
 * @param retiredAt   when it stopped signing, or {@code null}
 */
public record SigningKey(String kid, RSAPrivateKey privateKey, RSAPublicKey publicKey, String status,
                         Instant createdAt, Instant activatedAt, Instant retiredAt) {

    public Map<String, Object> publicJwk() {
        return RsaJwk.publicJwk(publicKey, kid);
    }

    @Override
    public String toString() {
        return "SigningKey[" + kid + ", " + status + "]";
    }
}
