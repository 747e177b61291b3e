package dev.codelab.auth.refresh;

import java.time.Instant;
import java.util.UUID;

/**
 * A stored refresh token (only its hash is kept).
 *
 * @param familyId        the lineage that started with one login
 * @param familyExpiresAt no token of the family outlives this (the session maximum)
 * @param revokedReason   {@code rotated}, {@code revoked}, {@code reuse}, {@code user_disabled},
 *                        {@code password_changed}, or {@code null} while usable
 */
public record RefreshToken(
        UUID id,
        UUID familyId,
        UUID parentId,
        UUID userId,
        String clientId,
        String scope,
        Instant createdAt,
        Instant expiresAt,
        Instant familyExpiresAt,
        Instant revokedAt,
        String revokedReason) {

    public boolean isUsable(Instant now) {
        return revokedAt == null && expiresAt.isAfter(now) && familyExpiresAt.isAfter(now);
    }
}
