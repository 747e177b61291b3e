package dev.codelab.gateway.auth;

import dev.codelab.shared.jwt.AccessToken;
import dev.codelab.shared.jwt.InvalidTokenException;
import dev.codelab.shared.jwt.JwksSource;
import dev.codelab.shared.jwt.JwtVerifier;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Verifies the auth service's access tokens locally against its JWKS, and reads bearer tokens out of the
 * places clients put them.
 */
public final class Authenticator {

    public static final String READ_SCOPE = "api:read";
    public static final String WRITE_SCOPE = "api:write";
    public static final String ADMIN_SCOPE = "api:admin";
    private static final long STALE_REFRESH_MILLIS = 30_000;

    private final JwksSource jwks;
    private final JwtVerifier verifier;
    private final AtomicLong lastStaleRefresh = new AtomicLong();

    public Authenticator(URI authServiceUrl, String issuer, String audience, Duration leeway) {
        Clock clock = Clock.systemUTC();
        this.jwks = new JwksSource(URI.create(authServiceUrl + "/.well-known/jwks.json"), clock);
        this.verifier = new JwtVerifier(jwks, issuer, audience, leeway, clock);
    }

    public AccessToken verify(String token) throws InvalidTokenException {
        return verifier.verify(token);
    }

    /**
     * Whether the cached key set is stale (never fetched, or the last fetch failed). A stale set is refetched
     * here at most every 30 s, so that health turns back to {@code ok} once the auth service is up.
     */
    public boolean jwksStale() {
        long now = System.currentTimeMillis();
        long last = lastStaleRefresh.get();
        if (jwks.isStale() && now - last >= STALE_REFRESH_MILLIS && lastStaleRefresh.compareAndSet(last, now)) {
            jwks.refresh();
        }
        return jwks.isStale();
    }

    /** The token of an {@code Authorization: Bearer <token>} header (scheme case-insensitive). */
    public static Optional<String> fromAuthorization(Optional<String> header) {
        return header.map(String::strip)
                .filter(h -> h.length() > 7
                        && h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer "))
                .map(h -> h.substring(7).strip())
                .filter(t -> !t.isEmpty());
    }

    /** The token of {@code Sec-WebSocket-Protocol: bearer, <token>}. */
    public static Optional<String> fromSubprotocols(Optional<String> header) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String[] parts = header.get().split(",");
        for (int i = 0; i + 1 < parts.length; i++) {
            if (parts[i].strip().equalsIgnoreCase("bearer")) {
                String token = parts[i + 1].strip();
                return token.isEmpty() ? Optional.empty() : Optional.of(token);
            }
        }
        return Optional.empty();
    }
}
