package dev.codelab.auth.token;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.codelab.auth.keys.KeyRing;
import dev.codelab.auth.keys.SigningKey;
import dev.codelab.shared.http.Json;

/**
 * Signs access tokens (RS256 JWTs, header {@code kid}) with the ring's current key, and checks them again for
 * introspection. Claims, in this order: {@code iss sub aud exp iat nbf jti type client_id scope}; {@code aud}
 * is a single string, times are integer epoch seconds.
 */
public final class AccessTokens {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    private final KeyRing keys;
    private final String issuer;
    private final String audience;
    private final Clock clock;

    public AccessTokens(KeyRing keys, String issuer, String audience, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
    }

    String issue(String subject, String clientId, String scope, int lifetimeSeconds) {
        SigningKey key = keys.signingKey();
        long now = clock.instant().getEpochSecond();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "RS256");
        header.put("kid", key.kid());
        header.put("typ", "JWT");
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", subject);
        claims.put("aud", audience);
        claims.put("exp", now + lifetimeSeconds);
        claims.put("iat", now);
        claims.put("nbf", now);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("type", "access");
        claims.put("client_id", clientId);
        claims.put("scope", scope);
        String signingInput = encode(header) + "." + encode(claims);
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key.privateKey());
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + ENCODER.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign an access token", e);
        }
    }

    /** The claims of a valid, unexpired access token this service signed; empty for anything else. */
    public Optional<Map<String, Object>> verify(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            Map<String, Object> header = Json.MAPPER.readValue(DECODER.decode(parts[0]), JSON_OBJECT);
            Optional<SigningKey> key = header.get("kid") instanceof String kid ? keys.key(kid) : Optional.empty();
            if (!"RS256".equals(header.get("alg")) || key.isEmpty()) {
                return Optional.empty();
            }
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(key.get().publicKey());
            rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rsa.verify(DECODER.decode(parts[2]))) {
                return Optional.empty();
            }
            Map<String, Object> claims = Json.MAPPER.readValue(DECODER.decode(parts[1]), JSON_OBJECT);
            long now = clock.instant().getEpochSecond();
            boolean valid = issuer.equals(claims.get("iss")) && audience.equals(claims.get("aud"))
                    && "access".equals(claims.get("type"))
                    && claims.get("exp") instanceof Number exp && exp.longValue() > now
                    && (!(claims.get("nbf") instanceof Number nbf) || nbf.longValue() <= now);
            return valid ? Optional.of(claims) : Optional.empty();
        } catch (Exception e) {
            // Malformed base64, JSON or signature bytes: simply not one of our tokens.
            return Optional.empty();
        }
    }

    private static String encode(Map<String, Object> json) {
        return ENCODER.encodeToString(Json.write(json).getBytes(StandardCharsets.UTF_8));
    }
}
