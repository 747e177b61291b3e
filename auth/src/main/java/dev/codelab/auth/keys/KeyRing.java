package dev.codelab.auth.keys;

import dev.codelab.shared.db.Database;
import dev.codelab.shared.db.Rows;
import dev.codelab.shared.db.Sql;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.jwt.VerificationKeys;
import io.helidon.dbclient.DbRow;
import io.helidon.security.jwt.jwk.Jwk;
import io.helidon.security.jwt.jwk.JwkKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The RS256 keys every replica shares, kept in {@code signing_keys} with the private half encrypted.
 *
 * <p>A key's life: {@code published} (in the JWKS, so resource servers learn it before any token needs it),
 * {@code active} from its {@code activated_at} on (the newest active key signs), {@code retired} once a newer
 * key signs (still published, so its tokens keep verifying), and deleted once every token it can have signed
 * has expired and every JWKS cache has moved on. State changes happen in {@link #refresh()}, which every
 * replica runs on a schedule under a PostgreSQL advisory lock; each replica signs with its cached copy, and
 * verifies its own tokens against it (the same keys the JWKS publishes).
 */
public final class KeyRing implements VerificationKeys {

    /** How long resource servers may cache our JWKS (the {@code Cache-Control} of the JWKS endpoint). */
    public static final Duration JWKS_CACHE_TTL = Duration.ofSeconds(300);

    private static final long LOCK_ID = 0x636f64656c61624bL;
    private static final int KEY_BITS = 2048;

    private final Database database;
    private final KeyCipher cipher;
    private final Clock clock;
    private volatile List<SigningKey> keys = List.of();
    private volatile JwkKeys verificationKeys = JwkKeys.builder().build();

    public KeyRing(Database database, String masterKey, Clock clock) {
        this.database = database;
        this.cipher = new KeyCipher(masterKey);
        this.clock = clock;
    }

    /** Creates a key that signs at once when none is active (first start), then loads the ring. */
    public void ensureKey() {
        refresh();
        database.transaction(tx -> {
            lock(tx);
            boolean none = tx.one("SELECT 1 FROM signing_keys WHERE status = 'active' LIMIT 1", row -> 1)
                    .isEmpty();
            if (none) {
                insert(tx, "active", clock.instant());
            }
            return null;
        });
        refresh();
    }

    /**
     * Makes the PKCS#8 PEM private key at {@code pem} (the original's {@code private_key.pem}) the signing key,
     * unless it is already in the ring; the key it replaces stays published until its tokens have expired.
     */
    public void importPem(Path pem) {
        String text;
        try {
            text = Files.readString(pem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the private key file " + pem, e);
        }
        if (!text.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalStateException(pem + " is not an unencrypted PKCS#8 PEM private key");
        }
        String base64 = text.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        KeyPair pair;
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) rsa.generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            pair = new KeyPair(
                    rsa.generatePublic(new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent())),
                    privateKey);
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException(pem + " does not hold an RSA private key", e);
        }
        database.transaction(tx -> {
            lock(tx);
            String kid = RsaJwkJson.thumbprint((RSAPublicKey) pair.getPublic());
            if (tx.one("SELECT 1 FROM signing_keys WHERE kid = ?", row -> 1, kid)
                    .isEmpty()) {
                insert(tx, pair, "published", clock.instant());
            }
            return null;
        });
        refresh();
    }

    /**
     * Adds a new key that is published now and signs from {@code now + publishLead} on. The previous key
     * keeps signing until then and stays published until its tokens have expired.
     */
    public SigningKey rotate(Duration publishLead) {
        String kid = database.transaction(tx -> {
            lock(tx);
            return insert(tx, "published", clock.instant().plus(publishLead));
        });
        refresh();
        return keys.stream().filter(k -> k.kid().equals(kid)).findFirst().orElseThrow();
    }

    /** Rotates when the newest key is older than {@code maxAge}; safe to call from every replica. */
    public Optional<SigningKey> rotateIfDue(Duration maxAge, Duration publishLead) {
        Instant now = clock.instant();
        Optional<String> kid = database.transaction(tx -> {
            lock(tx);
            Instant newest = tx.one(
                            "SELECT max(created_at) AS newest FROM signing_keys", row -> Rows.instant(row, "newest"))
                    .orElse(null);
            if (newest != null && newest.plus(maxAge).isAfter(now)) {
                return Optional.<String>empty();
            }
            return Optional.of(insert(tx, "published", now.plus(publishLead)));
        });
        refresh();
        return kid.flatMap(id -> keys.stream().filter(k -> k.kid().equals(id)).findFirst());
    }

    /**
     * Promotes published keys whose time has come, retires the ones a newer key replaced, deletes retired keys
     * no token can still need, and reloads the ring.
     */
    public synchronized void refresh() {
        Instant now = clock.instant();
        List<SigningKey> ring = database.transaction(tx -> {
            lock(tx);
            tx.update(
                    "UPDATE signing_keys SET status = 'active' WHERE status = 'published' AND activated_at <= ?", now);
            tx.update("""
                    UPDATE signing_keys SET status = 'retired', retired_at = ?
                    WHERE status = 'active'
                      AND kid <> (SELECT kid FROM signing_keys WHERE status = 'active'
                                  ORDER BY activated_at DESC, seq DESC LIMIT 1)
                    """, now);
            long longestLifetime = tx.one(
                            "SELECT coalesce(max(access_token_lifetime), 3600) AS s FROM oauth_clients",
                            row -> Rows.longValue(row, "s"))
                    .orElse(3600L);
            Instant unneededBefore = now.minusSeconds(longestLifetime).minus(JWKS_CACHE_TTL);
            tx.update("DELETE FROM signing_keys WHERE status = 'retired' AND retired_at < ?", unneededBefore);
            return tx.list("SELECT * FROM signing_keys ORDER BY activated_at, seq", this::read);
        });
        JwkKeys.Builder published = JwkKeys.builder();
        ring.forEach(key -> published.addKey(key.jwk()));
        // In this order, so that a key that signs is always one this replica already verifies.
        verificationKeys = published.build();
        keys = ring;
    }

    /** The key to sign with now: the newest active one (the ring is ordered by activation). */
    public SigningKey signingKey() {
        return keys.reversed().stream()
                .filter(k -> k.status().equals("active"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No active signing key; call ensureKey() first"));
    }

    /** Every key that resource servers must know: published, active and retired. */
    public List<SigningKey> keys() {
        return keys;
    }

    @Override
    public Optional<Jwk> key(String kid) {
        return verificationKeys.forKeyId(kid);
    }

    private static void lock(Sql tx) {
        tx.one("SELECT pg_advisory_xact_lock(?)", row -> 1, LOCK_ID);
    }

    private String insert(Sql tx, String status, Instant activatedAt) {
        return insert(tx, generate(), status, activatedAt);
    }

    private String insert(Sql tx, KeyPair pair, String status, Instant activatedAt) {
        RSAPublicKey publicKey = (RSAPublicKey) pair.getPublic();
        String kid = RsaJwkJson.thumbprint(publicKey);
        tx.update(
                """
                INSERT INTO signing_keys (kid, public_jwk, private_key_encrypted, status, created_at, activated_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
                kid,
                Json.write(RsaJwkJson.publicJwk(SigningKey.jwk(kid, (RSAPrivateKey) pair.getPrivate(), publicKey))),
                cipher.encrypt(pair.getPrivate().getEncoded(), kid),
                status,
                clock.instant(),
                activatedAt);
        return kid;
    }

    private SigningKey read(DbRow row) {
        String kid = Rows.text(row, "kid");
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            byte[] pkcs8 = cipher.decrypt(Rows.bytes(row, "private_key_encrypted"), kid);
            RSAPrivateCrtKey privateKey = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            RSAPublicKey publicKey = (RSAPublicKey)
                    rsa.generatePublic(new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
            return new SigningKey(
                    SigningKey.jwk(kid, privateKey, publicKey),
                    Rows.text(row, "status"),
                    Rows.instant(row, "created_at"),
                    Rows.instant(row, "activated_at"),
                    Rows.instant(row, "retired_at"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Stored signing key " + kid + " is unreadable", e);
        }
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(KEY_BITS);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
