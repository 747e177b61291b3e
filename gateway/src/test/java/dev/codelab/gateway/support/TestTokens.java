package dev.codelab.gateway.support;

import com.sun.net.httpserver.HttpServer;
import dev.codelab.shared.http.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Access tokens signed in the test with a generated RSA key, exactly as the auth service signs them
 * (docs/auth.md, "Signing keys and rotation"), the JWKS that publishes the key on a local port, and every forged
 * variant a resource server must refuse.
 */
public final class TestTokens implements AutoCloseable {

    public static final String ISSUER = "https://auth.codelab.local";
    public static final String AUDIENCE = "codelab-api";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final KeyPair key = rsa();
    private final KeyPair otherKey = rsa();
    private final String kid = "kid-" + UUID.randomUUID();
    private final HttpServer jwks;

    public TestTokens() throws IOException {
        jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        jwks.createContext("/.well-known/jwks.json", exchange -> {
            byte[] body = jwksJson().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        jwks.start();
    }

    /** Base URL of the fake auth service (only the JWKS endpoint). */
    public String authUrl() {
        return "http://127.0.0.1:" + jwks.getAddress().getPort();
    }

    /** A valid access token for {@code user} with {@code api:read api:write}. */
    public String access(String user) {
        return token(user, claims -> {});
    }

    /** A valid access token with the given claims changed. */
    public String token(String user, Consumer<Map<String, Object>> change) {
        Map<String, Object> claims = claims(user);
        change.accept(claims);
        return sign(header("RS256", kid), claims, key);
    }

    public String withScope(String user, String scope) {
        return token(user, c -> c.put("scope", scope));
    }

    public String algNone(String user) {
        return encode(header("none", kid)) + "." + encode(claims(user)) + ".";
    }

    /** HS256 keyed with the published RSA public key: the classic algorithm-confusion forgery. */
    public String hs256WithPublicKey(String user) {
        String input = encode(header("HS256", kid)) + "." + encode(claims(user));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getPublic().getEncoded(), "HmacSHA256"));
            return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signed by a key the JWKS does not publish, under a kid it does not know. */
    public String unknownKid(String user) {
        return sign(header("RS256", "kid-unknown"), claims(user), otherKey);
    }

    /** Signed by another key but claiming the published kid. */
    public String wrongKey(String user) {
        return sign(header("RS256", kid), claims(user), otherKey);
    }

    /** A valid token whose payload was then edited (another subject), signature kept. */
    public String tamperedPayload(String user) {
        String[] parts = access(user).split("\\.");
        return parts[0] + "." + encode(claims("someone-else")) + "." + parts[2];
    }

    public String expired(String user) {
        return token(user, c -> {
            long past = Instant.now().getEpochSecond() - 3600;
            c.put("iat", past - 900);
            c.put("nbf", past - 900);
            c.put("exp", past);
        });
    }

    public String refresh(String user) {
        return token(user, c -> c.put("type", "refresh"));
    }

    private Map<String, Object> claims(String user) {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("sub", user);
        claims.put("aud", AUDIENCE);
        claims.put("exp", now + 900);
        claims.put("iat", now);
        claims.put("nbf", now);
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("type", "access");
        claims.put("client_id", "codelab-flutter-app");
        claims.put("scope", "api:read api:write");
        return claims;
    }

    private static Map<String, Object> header(String alg, String kid) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", alg);
        header.put("typ", "JWT");
        header.put("kid", kid);
        return header;
    }

    private static String sign(Map<String, Object> header, Map<String, Object> claims, KeyPair signer) {
        String input = encode(header) + "." + encode(claims);
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(signer.getPrivate());
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private String jwksJson() {
        RSAPublicKey pub = (RSAPublicKey) key.getPublic();
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "RSA");
        jwk.put("kid", kid);
        jwk.put("use", "sig");
        jwk.put("alg", "RS256");
        jwk.put("n", unsigned(pub.getModulus()));
        jwk.put("e", unsigned(pub.getPublicExponent()));
        return Json.write(Map.of("keys", List.of(jwk)));
    }

    private static String unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes[0] == 0 && bytes.length > 1) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return B64.encodeToString(bytes);
    }

    private static String encode(Map<String, Object> json) {
        return B64.encodeToString(Json.write(json).getBytes(StandardCharsets.UTF_8));
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        jwks.stop(0);
    }
}
