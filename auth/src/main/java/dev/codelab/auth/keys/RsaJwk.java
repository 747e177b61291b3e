package dev.codelab.auth.keys;

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
 * The JWK form of an RSA public key and its RFC 7638 thumbprint (the key id).
 */
final class RsaJwk {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private RsaJwk() {
    }

    /** {@code {"kty","use","kid","alg","n","e"}} as the JWKS endpoint publishes it. */
    static Map<String, Object> publicJwk(RSAPublicKey key, String kid) {
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "RSA");
        jwk.put("use", "sig");
        jwk.put("kid", kid);
        jwk.put("alg", "RS256");
        jwk.put("n", unsigned(key.getModulus()));
        jwk.put("e", unsigned(key.getPublicExponent()));
        return jwk;
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
