package dev.codelab.bench;

import dev.codelab.shared.http.Json;
import dev.codelab.shared.jwt.AccessToken;
import dev.codelab.shared.jwt.JwksSource;
import dev.codelab.shared.jwt.JwtVerifier;
import io.helidon.http.Status;
import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.JwkRSA;
import io.helidon.webserver.WebServer;
import java.math.BigInteger;
import java.net.URI;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The gateway's per-request cost of authentication: verifying an RS256 access token against cached JWKS keys
 * (the key set is fetched once in setup; verification never touches the network or a database). {@code verify}
 * is a token seen for the first time (it cycles through more distinct tokens than the verifier remembers);
 * {@code verifyRemembered} is the same token again, as a client sends it on every request.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JwtVerifyBenchmark {

    private WebServer jwks;
    private JwtVerifier verifier;
    private String token;
    private String[] distinct;
    private int next;

    @Setup
    public void setUp() throws Exception {
        JwkRSA signing = BenchKeys.rs256("k1");
        Map<String, Object> jwk = publicJwk(signing);
        jwks = WebServer.builder()
                .port(0)
                .host("127.0.0.1")
                .routing(r -> r.get("/jwks", (req, res) -> Json.send(res, Status.OK_200, Map.of("keys", List.of(jwk)))))
                .build()
                .start();
        verifier = new JwtVerifier(
                new JwksSource(URI.create("http://127.0.0.1:" + jwks.port() + "/jwks"), Clock.systemUTC()),
                "https://auth.codelab.local",
                "codelab-api",
                Duration.ofSeconds(30),
                Clock.systemUTC());
        Instant now = Instant.now();
        distinct = new String[JwtVerifier.MAX_REMEMBERED + 4];
        for (int i = 0; i < distinct.length; i++) {
            distinct[i] = accessToken(signing, now, "j" + i);
        }
        token = distinct[0];
        verifier.verify(token);
    }

    private static Map<String, Object> publicJwk(JwkRSA signing) {
        RSAPublicKey publicKey = (RSAPublicKey) signing.publicKey();
        return Map.of(
                "kty",
                "RSA",
                "kid",
                "k1",
                "alg",
                "RS256",
                "use",
                "sig",
                "n",
                base64(publicKey.getModulus()),
                "e",
                base64(publicKey.getPublicExponent()));
    }

    private static String accessToken(JwkRSA signing, Instant now, String jwtId) {
        return SignedJwt.sign(
                        Jwt.builder()
                                .algorithm(JwkRSA.ALG_RS256)
                                .keyId("k1")
                                .issuer("https://auth.codelab.local")
                                .subject("user-1")
                                .audience(List.of("codelab-api"))
                                .issueTime(now)
                                .notBefore(now)
                                .expirationTime(now.plusSeconds(3600))
                                .jwtId(jwtId)
                                .addPayloadClaim("type", "access")
                                .addPayloadClaim("scope", "api:read api:write")
                                .build(),
                        signing)
                .tokenContent();
    }

    @TearDown
    public void tearDown() {
        jwks.stop();
    }

    @Benchmark
    public AccessToken verify() throws Exception {
        next = (next + 1) % distinct.length;
        return verifier.verify(distinct[next]);
    }

    @Benchmark
    public AccessToken verifyRemembered() throws Exception {
        return verifier.verify(token);
    }

    private static String base64(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
