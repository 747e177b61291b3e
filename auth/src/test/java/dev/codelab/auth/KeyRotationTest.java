package dev.codelab.auth;

import static dev.codelab.auth.AuthServer.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import dev.codelab.auth.keys.SigningKey;
import dev.codelab.shared.jwt.JwtVerifier;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key rotation moves the class's clock and changes its key table, so each test starts on a new key table: one
 * key, created as on the service's first start at the clock's time then. Tests that change neither are in
 * {@link SigningKeysTest}.
 */
class KeyRotationTest extends AuthServiceTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, Map.of());
    }

    @BeforeEach
    void newKeyTable() {
        service.update("DELETE FROM signing_keys");
        service.app.keyRing().ensureKey();
    }

    @Test
    void newKeyIsPublishedBeforeItSigns() throws Exception {
        String user = auth.newUser();
        String signing = auth.app.keyRing().signingKey().kid();

        SigningKey next = auth.app.rotateKeys(Duration.ofMinutes(10));

        assertThat(kids(), hasItems(signing, next.kid()));
        String token = accessToken(user);
        assertThat(PasswordGrantTest.decode(token, 0).get("kid"), is(signing));

        auth.clock.advance(Duration.ofMinutes(11));
        auth.app.maintenance().refreshKeys();

        String later = accessToken(user);
        assertThat(PasswordGrantTest.decode(later, 0).get("kid"), is(next.kid()));
        JwtVerifier verifier = auth.verifier();
        verifier.verify(token);
        verifier.verify(later);
    }

    @Test
    void afterRotationOldTokensStillVerifyUntilTheyExpire() throws Exception {
        String user = auth.newUser();
        String oldToken = accessToken(user);
        String oldKid = (String) PasswordGrantTest.decode(oldToken, 0).get("kid");

        SigningKey next = auth.app.rotateKeys(Duration.ZERO);

        String newToken = accessToken(user);
        assertThat(PasswordGrantTest.decode(newToken, 0).get("kid"), is(next.kid()));
        assertThat(auth.sql("SELECT status FROM signing_keys WHERE kid = '" + oldKid + "'"), contains("retired"));
        JwtVerifier verifier = auth.verifier();
        verifier.verify(oldToken);
        verifier.verify(newToken);

        // The longest access token lives 3600 s (codelab-internal) and caches keep the JWKS 300 s.
        auth.clock.advance(Duration.ofSeconds(3600 + 300 + 5));
        auth.app.maintenance().refreshKeys();
        assertThat(kids(), not(hasItem(oldKid)));
        assertThat(kids(), hasItem(next.kid()));
    }

    @Test
    void scheduledRotationHappensOnlyWhenNewestKeyIsOld() {
        int before = auth.sql("SELECT kid FROM signing_keys").size();
        auth.app.maintenance().refreshKeys();
        assertThat(auth.sql("SELECT kid FROM signing_keys").size(), is(before));

        auth.clock.advance(Duration.ofDays(91));
        auth.app.maintenance().refreshKeys();

        assertThat(
                auth.sql("SELECT status FROM signing_keys WHERE status = 'published'")
                        .size(),
                is(1));
    }

    @Test
    void pemPrivateKeyOfTheOriginalBecomesTheSigningKeyOnce(@TempDir Path dir) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        Path pem = dir.resolve("private_key.pem");
        Files.writeString(
                pem,
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, new byte[] {'\n'})
                                .encodeToString(pair.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
        String oldKid = auth.app.keyRing().signingKey().kid();
        String user = auth.newUser();

        try (AuthServer replica = auth.sibling(Map.of("auth-service.private-key-path", pem.toString()))) {
            SigningKey key = replica.app.keyRing().signingKey();
            assertThat(key.publicKey().getModulus(), is(((RSAPublicKey) pair.getPublic()).getModulus()));
            assertThat(
                    replica.sql("SELECT status FROM signing_keys WHERE kid = '" + oldKid + "'"), contains("retired"));
            String token = (String) json(replica.login(user, "Secret-Pass-1")).get("access_token");
            assertThat(PasswordGrantTest.decode(token, 0).get("kid"), is(key.kid()));
            replica.verifier().verify(token);
        }
        try (AuthServer again = auth.sibling(Map.of("auth-service.private-key-path", pem.toString()))) {
            assertThat(again.sql("SELECT count(*) FROM signing_keys"), contains("2"));
        }
    }

    private List<Object> kids() {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> keys = (List<Map<String, Object>>)
                json(auth.get("/.well-known/jwks.json")).get("keys");
        return keys.stream().map(k -> k.get("kid")).toList();
    }

    private String accessToken(String user) {
        var response = auth.login(user, "Secret-Pass-1");
        assertThat(response.body(), response.statusCode(), is(200));
        return (String) json(response).get("access_token");
    }
}
