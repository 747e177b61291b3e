package dev.codelab.shared.jwt;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.codelab.shared.http.Json;
import io.helidon.http.Status;
import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.JwkRSA;
import io.helidon.webserver.WebServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JwtVerifierTest {

    private static final String ISSUER = "https://auth.codelab.local";
    private static final String AUDIENCE = "codelab-api";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private static KeyPair primary;
    private static KeyPair other;
    private static WebServer jwksServer;
    private static final AtomicReference<List<Map<String, Object>>> PUBLISHED = new AtomicReference<>();
    private static final AtomicInteger FETCHES = new AtomicInteger();
    private static final AtomicReference<Boolean> DOWN = new AtomicReference<>(false);
    /** When set, a JWKS request counts down ARRIVED and then waits for HOLD. */
    private static final AtomicReference<CountDownLatch> HOLD = new AtomicReference<>();

    private static final AtomicReference<CountDownLatch> ARRIVED = new AtomicReference<>();

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private JwtVerifier verifier;
    private JwksSource source;

    @BeforeAll
    static void startJwks() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        primary = generator.generateKeyPair();
        other = generator.generateKeyPair();
        jwksServer = WebServer.builder()
                .port(0)
                .host("127.0.0.1")
                .routing(r -> r.get("/jwks", (req, res) -> {
                    FETCHES.incrementAndGet();
                    CountDownLatch hold = HOLD.get();
                    if (hold != null) {
                        ARRIVED.get().countDown();
                        hold.await(10, TimeUnit.SECONDS);
                    }
                    if (DOWN.get()) {
                        res.status(Status.SERVICE_UNAVAILABLE_503).send();
                    } else {
                        Json.send(res, Status.OK_200, Map.of("keys", PUBLISHED.get()));
                    }
                }))
                .build()
                .start();
    }

    @AfterAll
    static void stopJwks() {
        jwksServer.stop();
    }

    @BeforeEach
    void setUp() {
        PUBLISHED.set(List.of(publicJwk("k1", primary)));
        DOWN.set(false);
        HOLD.set(null);
        FETCHES.set(0);
        source = new JwksSource(URI.create("http://127.0.0.1:" + jwksServer.port() + "/jwks"), clock);
        verifier = new JwtVerifier(source, ISSUER, AUDIENCE, Duration.ofSeconds(30), clock);
    }

    @Test
    void acceptsAValidAccessToken() throws Exception {
        AccessToken token = verifier.verify(sign("k1", primary, claims()));

        assertThat(token.subject(), is("user-1"));
        assertThat(token.clientId(), is("codelab-flutter-app"));
        assertThat(token.scopes(), is(Set.of("api:read", "api:write")));
        assertThat(token.hasScope("api:write"), is(true));
        assertThat(token.jwtId(), is("jti-1"));
        assertThat(source.isStale(), is(false));
    }

    @Test
    void acceptsAPlainStringAudienceAsTheAuthServiceIssuesIt() throws Exception {
        String signingInput = b64(Json.write(Map.of("alg", "RS256", "kid", "k1", "typ", "JWT"))) + "."
                + b64(Json.write(claimsJson()));
        java.security.Signature rsa = java.security.Signature.getInstance("SHA256withRSA");
        rsa.initSign(primary.getPrivate());
        rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));

        AccessToken token = verifier.verify(signingInput + "." + B64.encodeToString(rsa.sign()));

        assertThat(token.subject(), is("user-1"));
        assertThat(token.clientId(), is(""));
    }

    @Test
    void rejectsAlgNone() {
        String header = b64(Json.write(Map.of("alg", "none", "kid", "k1", "typ", "JWT")));
        String token = header + "." + b64(Json.write(claimsJson())) + ".";
        assertRejected(token);
    }

    @Test
    void rejectsHs256KeyedWithThePublicKey() throws Exception {
        String signingInput = b64(Json.write(Map.of("alg", "HS256", "kid", "k1", "typ", "JWT"))) + "."
                + b64(Json.write(claimsJson()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(primary.getPublic().getEncoded(), "HmacSHA256"));
        String token =
                signingInput + "." + B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        assertRejected(token);
    }

    @Test
    void rejectsATamperedPayload() {
        String[] parts = sign("k1", primary, claims()).split("\\.");
        Map<String, Object> forged = claimsJson();
        forged.put("sub", "admin");
        assertRejected(parts[0] + "." + b64(Json.write(forged)) + "." + parts[2]);
    }

    @Test
    void rejectsAKeyTheAuthServiceNeverPublished() {
        assertRejected(sign("k9", other, claims()));
        assertRejected(sign("k1", other, claims()));
    }

    @Test
    void rejectsWrongIssuerAudienceTypeAndTimes() {
        assertRejected(sign("k1", primary, claims().issuer("https://evil")));
        assertRejected(sign("k1", primary, claims().audience(List.of("other-api"))));
        assertRejected(sign("k1", primary, claims().addPayloadClaim("type", "refresh")));
        assertRejected(
                sign("k1", primary, claims().expirationTime(clock.instant().minusSeconds(31))));
        assertRejected(sign("k1", primary, claims().notBefore(clock.instant().plusSeconds(31))));
        assertRejected("not-a-jwt");
        assertRejected("");
    }

    @Test
    void toleratesClockSkewWithinTheLeeway() throws Exception {
        verifier.verify(
                sign("k1", primary, claims().expirationTime(clock.instant().minusSeconds(20))));
        verifier.verify(sign("k1", primary, claims().notBefore(clock.instant().plusSeconds(20))));
    }

    /** RFC 7519: {@code exp} is the first instant the token is refused (here plus the 30 s leeway). */
    @Test
    void expiryIsTheFirstInstantATokenIsRefused() throws Exception {
        verifier.verify(
                sign("k1", primary, claims().expirationTime(clock.instant().minusSeconds(29))));
        assertRejected(
                sign("k1", primary, claims().expirationTime(clock.instant().minusSeconds(30))));
    }

    @Test
    void anUnknownKidRefetchesAtMostOncePer30Seconds() throws Exception {
        verifier.verify(sign("k1", primary, claims()));
        assertThat(FETCHES.get(), is(1));

        PUBLISHED.set(List.of(publicJwk("k1", primary), publicJwk("k2", other)));
        clock.advance(Duration.ofSeconds(5));
        assertRejected(sign("k2", other, claims()));
        assertThat(FETCHES.get(), is(1));

        clock.advance(Duration.ofSeconds(26));
        verifier.verify(sign("k2", other, claims()));
        assertThat(FETCHES.get(), is(2));
    }

    @Test
    void aTokenArrivingWhileTheKeysAreFetchedWaitsForThatFetch() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ARRIVED.set(new CountDownLatch(1));
        HOLD.set(release);
        String token = sign("k1", primary, claims());
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<AccessToken> first = threads.submit(() -> verifier.verify(token));
            assertThat(ARRIVED.get().await(5, TimeUnit.SECONDS), is(true));
            Future<AccessToken> second = threads.submit(() -> verifier.verify(token));
            Thread.sleep(100);
            release.countDown();

            assertThat(second.get(5, TimeUnit.SECONDS).subject(), is("user-1"));
            assertThat(first.get(5, TimeUnit.SECONDS).subject(), is("user-1"));
        }
        assertThat(FETCHES.get(), is(1));
    }

    @Test
    void keepsTheCachedKeysWhenTheAuthServiceIsDown() throws Exception {
        verifier.verify(sign("k1", primary, claims()));
        DOWN.set(true);
        clock.advance(Duration.ofMinutes(1));
        source.refresh();

        assertThat(source.isStale(), is(true));
        verifier.verify(sign("k1", primary, claims()));
    }

    @Test
    void aRememberedTokenIsStillRefusedOnceExpired() throws Exception {
        String token =
                sign("k1", primary, claims().expirationTime(clock.instant().plusSeconds(60)));
        verifier.verify(token);
        clock.advance(Duration.ofSeconds(60 + 29));
        verifier.verify(token);

        clock.advance(Duration.ofSeconds(2));
        assertRejected(token);
    }

    @Test
    void aRememberedTokenIsRefusedOnceItsKeyIsWithdrawn() throws Exception {
        String token = sign("k1", primary, claims());
        verifier.verify(token);
        verifier.verify(token);

        PUBLISHED.set(List.of(publicJwk("k2", other)));
        clock.advance(Duration.ofSeconds(31));
        source.refresh();
        assertRejected(token);
    }

    private void assertRejected(String token) {
        assertThrows(InvalidTokenException.class, () -> verifier.verify(token));
    }

    private Jwt.Builder claims() {
        Instant now = clock.instant();
        return Jwt.builder()
                .issuer(ISSUER)
                .subject("user-1")
                .audience(List.of(AUDIENCE))
                .issueTime(now)
                .notBefore(now)
                .expirationTime(now.plusSeconds(900))
                .jwtId("jti-1")
                .addPayloadClaim("type", "access")
                .addPayloadClaim("client_id", "codelab-flutter-app")
                .addPayloadClaim("scope", "api:read api:write");
    }

    private Map<String, Object> claimsJson() {
        long now = clock.instant().getEpochSecond();
        return new java.util.HashMap<>(Map.of(
                "iss",
                ISSUER,
                "sub",
                "user-1",
                "aud",
                AUDIENCE,
                "exp",
                now + 900,
                "iat",
                now,
                "type",
                "access",
                "scope",
                "api:read api:write"));
    }

    private static String sign(String kid, KeyPair keys, Jwt.Builder claims) {
        JwkRSA jwk = JwkRSA.builder()
                .publicKey((RSAPublicKey) keys.getPublic())
                .privateKey((RSAPrivateKey) keys.getPrivate())
                .algorithm(JwkRSA.ALG_RS256)
                .keyId(kid)
                .build();
        return SignedJwt.sign(claims.keyId(kid).algorithm(JwkRSA.ALG_RS256).build(), jwk)
                .tokenContent();
    }

    private static Map<String, Object> publicJwk(String kid, KeyPair keys) {
        RSAPublicKey key = (RSAPublicKey) keys.getPublic();
        return Map.of(
                "kty",
                "RSA",
                "kid",
                kid,
                "alg",
                "RS256",
                "use",
                "sig",
                "n",
                B64.encodeToString(unsigned(key.getModulus().toByteArray())),
                "e",
                B64.encodeToString(unsigned(key.getPublicExponent().toByteArray())));
    }

    private static byte[] unsigned(byte[] bytes) {
        return bytes.length > 1 && bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static String b64(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
