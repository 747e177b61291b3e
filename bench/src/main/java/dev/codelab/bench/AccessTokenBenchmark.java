package dev.codelab.bench;

import dev.codelab.auth.token.AccessTokens;
import dev.codelab.shared.jwt.AccessToken;
import dev.codelab.shared.jwt.JwtVerifier;
import io.helidon.security.jwt.jwk.JwkKeys;
import io.helidon.security.jwt.jwk.JwkRSA;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The auth service's cost per access token, both through helidon-security-jwt: {@code sign} is what every
 * password and refresh grant pays ({@link AccessTokens#issue}: header, claims, RS256 signature with the ring's
 * {@link JwkRSA}); {@code verify} is what introspection and the admin API pay for a token seen for the first
 * time (the shared {@link JwtVerifier} against the ring's keys, cycling through more distinct tokens than it
 * remembers). {@code signatureOnly} is the RS256 signature alone, the floor of {@code sign}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AccessTokenBenchmark {

    private static final String ISSUER = "https://auth.codelab.local";
    private static final String AUDIENCE = "codelab-api";

    private JwkRSA key;
    private byte[] signingInput;
    private AccessTokens tokens;
    private String[] distinct;
    private int next;

    @Setup
    public void setUp() {
        key = BenchKeys.rs256("k1");
        JwkKeys ring = JwkKeys.builder().addKey(key).build();
        tokens = new AccessTokens(() -> key, ring::forKeyId, ISSUER, AUDIENCE, Clock.systemUTC());
        distinct = new String[JwtVerifier.MAX_REMEMBERED + 4];
        for (int i = 0; i < distinct.length; i++) {
            distinct[i] = sign();
        }
        if (tokens.verify(distinct[0]).isEmpty()) {
            throw new IllegalStateException("A token just signed does not verify");
        }
        String token = distinct[0];
        signingInput = token.substring(0, token.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
    }

    @Benchmark
    public String sign() {
        return tokens.issue("3f1c2a9e-5b7d-4c1e-9a2f-6d8e0b4c7a11", "codelab-flutter-app", "api:read api:write", 900);
    }

    /** The floor of {@code sign}: the RS256 signature alone over a token's header and claims. */
    @Benchmark
    public byte[] signatureOnly() {
        return key.sign(signingInput);
    }

    @Benchmark
    public Optional<AccessToken> verify() {
        next = (next + 1) % distinct.length;
        return tokens.verify(distinct[next]);
    }
}
