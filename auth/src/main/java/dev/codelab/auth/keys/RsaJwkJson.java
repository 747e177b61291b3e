package dev.codelab.auth.keys;

import io.helidon.security.jwt.jwk.JwkRSA;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The published JSON of a ring key and its RFC 7638 thumbprint (the key id). helidon-security-jwt reads JWKs
 * ({@code JwkKeys.create}) but has no way to write one or to compute a thumbprint, so these two stay here.
 */
final class RsaJwkJson {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private RsaJwkJson() {}

    /** {@code {"kty","use","kid","alg","n","e"}} as the JWKS endpoint publishes it. */
    static Map<String, Object> publicJwk(JwkRSA jwk) {
        RSAPublicKey key = (RSAPublicKey) jwk.publicKey();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put(JwkRSA.PARAM_KEY_TYPE, jwk.keyType());
        json.put(JwkRSA.PARAM_USE, jwk.usage().orElseThrow());
        json.put(JwkRSA.PARAM_KEY_ID, jwk.keyId());
        json.put(JwkRSA.PARAM_ALGORITHM, jwk.algorithm());
        json.put(JwkRSA.PARAM_PUB_MODULUS, unsigned(key.getModulus()));
        json.put(JwkRSA.PARAM_PUB_EXP, unsigned(key.getPublicExponent()));
        return json;
    }

    /** RFC 7638: SHA-256 over the required members in lexicographic order, no whitespace, base64url. */
    static String thumbprint(RSAPublicKey key) {
        String canonical = "{\"e\":\"" + unsigned(key.getPublicExponent()) + "\",\"kty\":\"RSA\",\"n\":\""
                + unsigned(key.getModulus()) + "\"}";
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return BASE64URL.encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Big-endian bytes without the sign byte, base64url without padding (RFC 7518 section 6.3.1). */
    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return BASE64URL.encodeToString(bytes);
    }
}
