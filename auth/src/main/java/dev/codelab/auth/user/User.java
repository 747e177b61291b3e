package dev.codelab.auth.user;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code users}. */
public record User(
        UUID id,
        String username,
        String email,
        String passwordHash,
        boolean active,
        boolean verified,
        Instant createdAt,
        Instant lastLoginAt) {

    @Override
    public String toString() {
        return "User[" + id + ", " + username + "]";
    }
}
