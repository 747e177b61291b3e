package dev.codelab.auth;

import static dev.codelab.auth.AuthServer.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import dev.codelab.auth.keys.SigningKey;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The signing key the service starts with, as published and as stored, and replicas sharing it. */
class SigningKeysTest extends AuthServiceTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, Map.of());
    }

    @Test
    void firstKeyIsRsa2048WithThumbprintKidAndEncryptedAtRest() {
        SigningKey key = auth.app.keyRing().signingKey();

        assertThat(key.publicKey().getModulus().bitLength(), is(2048));
        assertThat(key.kid().matches("[A-Za-z0-9_-]{43}"), is(true));
        String plainHex = java.util.HexFormat.of().formatHex(key.privateKey().getEncoded());
        String storedHex = auth.sql(
                        "SELECT encode(private_key_encrypted, 'hex') FROM signing_keys WHERE kid = '" + key.kid() + "'")
                .getFirst();
        assertThat(storedHex.contains(plainHex.substring(64, 128)), is(false));
        assertThat(storedHex.length() >= plainHex.length(), is(true));
        assertThat(
                json(auth.get("/.well-known/jwks.json")).get("keys").toString(),
                is(List.of(key.publicJwk()).toString()));
    }

    @Test
    void jwksIsPublicAndCacheable() {
        var response = auth.get("/.well-known/jwks.json");

        assertThat(response.statusCode(), is(200));
        assertThat(response.headers().firstValue("Cache-Control").orElse(""), is("public, max-age=300"));
        @SuppressWarnings("unchecked")
        Map<String, Object> key = ((List<Map<String, Object>>) json(response).get("keys")).getFirst();
        assertThat(key.keySet(), contains("kty", "use", "kid", "alg", "n", "e"));
        assertThat(key.get("e"), is("AQAB"));
    }

    @Test
    void aReplicaWithAnotherMasterKeyRefusesToStart() {
        IllegalStateException failure = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalStateException.class,
                () -> auth.sibling(Map.of("auth-service.master-key", "another-master-key")));
        assertThat(failure.getMessage().contains("AUTH_SERVICE__MASTER_KEY"), is(true));
    }

    @Test
    void replicasShareTheKeys() {
        try (AuthServer replica = auth.sibling(Map.of())) {
            assertThat(
                    replica.app.keyRing().signingKey().kid(),
                    is(auth.app.keyRing().signingKey().kid()));
        }
    }
}
