package dev.codelab.client;

import java.time.Instant;
import java.util.Objects;

/**
 * The tokens of one login.
 *
 * @param accessToken  the bearer JWT sent to the API
 * @param refreshToken the opaque token that buys a new access token (rotated on every refresh)
 * @param expiresAt    when the access token expires
 * @param scope        the granted scopes, space-separated
 */
public record Tokens(String accessToken, String refreshToken, Instant expiresAt, String scope) {

    public Tokens {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** Whether the access token expires within {@code marginSeconds} of {@code now}. */
    public boolean expiresWithin(Instant now, long marginSeconds) {
        return !now.plusSeconds(marginSeconds).isBefore(expiresAt);
    }
}
