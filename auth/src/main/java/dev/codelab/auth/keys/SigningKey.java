package dev.codelab.auth.keys;

import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkRSA;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Map;

/**
 * One RS256 key pair of the ring.
 *
 * @param jwk         both halves, {@code kid} = RFC 7638 thumbprint, {@code alg} RS256, {@code use} sig
 * @param status      {@code published}, {@code active} or {@code retired}
 * @param activatedAt when it starts (or started) signing
 * @param retiredAt   when it stopped signing, or {@code null}
 */
public record SigningKey(JwkRSA jwk, String status, Instant createdAt, Instant activatedAt, Instant retiredAt) {

    static JwkRSA jwk(String kid, RSAPrivateKey privateKey, RSAPublicKey publicKey) {
        return JwkRSA.builder()
                .keyType(Jwk.KEY_TYPE_RSA)
                .usage(Jwk.USE_SIGNATURE)
                .keyId(kid)
                .algorithm(JwkRSA.ALG_RS256)
                .publicKey(publicKey)
                .privateKey(privateKey)
                .build();
    }

    public String kid() {
        return jwk.keyId();
    }

    public RSAPublicKey publicKey() {
        return (RSAPublicKey) jwk.publicKey();
    }

    public RSAPrivateKey privateKey() {
        return (RSAPrivateKey) jwk.privateKey().orElseThrow();
    }

    public Map<String, Object> publicJwk() {
        return RsaJwkJson.publicJwk(jwk);
    }

    @Override
    public String toString() {
        return "SigningKey[" + kid() + ", " + status + "]";
    }
}
