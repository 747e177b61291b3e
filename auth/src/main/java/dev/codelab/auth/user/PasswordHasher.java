package dev.codelab.auth.user;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * bcrypt for passwords and client secrets. Verification reads {@code $2a$}, {@code $2b$} and {@code $2y$}
 * hashes. {@link #verifyOrDummy} spends the same time whether or not there is a hash to check, so response
 * times do not reveal which usernames exist.
 */
public final class PasswordHasher {

    public static final int DEFAULT_COST = 12;
    /** bcrypt reads at most this many bytes of a password. */
    public static final int MAX_BYTES = 72;

    private final int cost;
    private final String dummyHash;

    public PasswordHasher(int cost) {
        this.cost = cost;
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        this.dummyHash = hash(Base64.getEncoder().encodeToString(random));
    }

    public String hash(String password) {
        return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
    }

    public boolean verify(String password, String hash) {
        if (hash == null || password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return false;
        }
        try {
            return BCrypt.verifyer()
                    .verify(password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8))
                    .verified;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Verifies against {@code hash}, or burns a verification against a dummy hash when there is none. */
    public boolean verifyOrDummy(String password, String hash) {
        if (hash == null) {
            verify(password, dummyHash);
            return false;
        }
        return verify(password, hash);
    }
}
