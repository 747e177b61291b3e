package dev.codelab.bench;

import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkRSA;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;

/** Signing keys for the benchmarks, shaped like the auth service's (2048-bit RSA, RS256, use sig). */
final class BenchKeys {

    private BenchKeys() {}

    /** A new key pair as one {@link JwkRSA} with both halves. */
    static JwkRSA rs256(String kid) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            return JwkRSA.builder()
                    .keyType(Jwk.KEY_TYPE_RSA)
                    .usage(Jwk.USE_SIGNATURE)
                    .keyId(kid)
                    .algorithm(JwkRSA.ALG_RS256)
                    .publicKey((RSAPublicKey) pair.getPublic())
                    .privateKey((RSAPrivateKey) pair.getPrivate())
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
