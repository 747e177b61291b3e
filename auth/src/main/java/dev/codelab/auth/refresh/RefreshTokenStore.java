package dev.codelab.auth.refresh;

import dev.codelab.shared.db.Database;
import dev.codelab.shared.db.Rows;
import dev.codelab.shared.db.Sql;
import io.helidon.dbclient.DbRow;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * Opaque refresh tokens: 256 random bits, base64url, stored only as their SHA-256 (hex).
 */
public final class RefreshTokenStore {

    public static final String ROTATED = "rotated";
    public static final String REVOKED = "revoked";
    public static final String REUSE = "reuse";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COLUMNS =
            "id, family_id, parent_id, user_id, client_id, scope, created_at, expires_at, "
                    + "family_expires_at, revoked_at, revoked_reason";

    private final Database database;

    public RefreshTokenStore(Database database) {
        this.database = database;
    }

    public static String newTokenValue() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stores {@code token} (by hash) and returns its row. */
    public RefreshToken insert(
            Sql tx,
            String token,
            UUID familyId,
            UUID parentId,
            UUID userId,
            String clientId,
            String scope,
            Instant now,
            Instant expiresAt,
            Instant familyExpiresAt) {
        RefreshToken row = new RefreshToken(
                UUID.randomUUID(),
                familyId,
                parentId,
                userId,
                clientId,
                scope,
                now,
                expiresAt,
                familyExpiresAt,
                null,
                null);
        tx.update(
                """
                INSERT INTO refresh_tokens (id, token_hash, family_id, parent_id, user_id, client_id, scope, created_at,
                                            expires_at, family_expires_at)
                VALUES (?::uuid, ?, ?::uuid, ?::uuid, ?::uuid, ?, ?, ?, ?, ?)
                """,
                row.id(),
                hash(token),
                familyId,
                parentId,
                userId,
                clientId,
                scope,
                now,
                expiresAt,
                familyExpiresAt);
        return row;
    }

    /**
     * Atomically marks the token rotated if it is still usable by {@code clientId}; empty when it is unknown,
     * already revoked (a concurrent refresh that lost the race ends here too), expired, or another client's.
     */
    public Optional<RefreshToken> consume(Sql tx, String token, String clientId, Instant now) {
        return tx.one(
                "UPDATE refresh_tokens SET revoked_at = ?, revoked_reason = '" + ROTATED + "' "
                        + "WHERE token_hash = ? AND revoked_at IS NULL AND client_id = ? "
                        + "AND expires_at > ? AND family_expires_at > ? "
                        + "RETURNING " + COLUMNS,
                RefreshTokenStore::read,
                now,
                hash(token),
                clientId,
                now,
                now);
    }

    public Optional<RefreshToken> find(String token) {
        return database.sql()
                .one(
                        "SELECT " + COLUMNS + " FROM refresh_tokens WHERE token_hash = ?",
                        RefreshTokenStore::read,
                        hash(token));
    }

    /** Revokes every still-usable token of the family; returns how many. */
    public int revokeFamily(Sql tx, UUID familyId, String reason, Instant now) {
        return Math.toIntExact(tx.update(
                "UPDATE refresh_tokens SET revoked_at = ?, revoked_reason = ? "
                        + "WHERE family_id = ?::uuid AND revoked_at IS NULL",
                now,
                reason,
                familyId));
    }

    /** Revokes every still-usable token of the user (disabled account, new password); returns how many. */
    public int revokeUser(Sql tx, UUID userId, String reason, Instant now) {
        return Math.toIntExact(tx.update(
                "UPDATE refresh_tokens SET revoked_at = ?, revoked_reason = ? "
                        + "WHERE user_id = ?::uuid AND revoked_at IS NULL",
                now,
                reason,
                userId));
    }

    /** Deletes tokens that expired before {@code before}; returns how many. */
    public int purgeExpiredBefore(Instant before) {
        return Math.toIntExact(database.sql()
                .update("DELETE FROM refresh_tokens WHERE expires_at < ? OR family_expires_at < ?", before, before));
    }

    private static RefreshToken read(DbRow row) {
        return new RefreshToken(
                Rows.uuid(row, "id"),
                Rows.uuid(row, "family_id"),
                Rows.uuid(row, "parent_id"),
                Rows.uuid(row, "user_id"),
                Rows.text(row, "client_id"),
                Rows.text(row, "scope"),
                Rows.instant(row, "created_at"),
                Rows.instant(row, "expires_at"),
                Rows.instant(row, "family_expires_at"),
                Rows.instant(row, "revoked_at"),
                Rows.text(row, "revoked_reason"));
    }
}
