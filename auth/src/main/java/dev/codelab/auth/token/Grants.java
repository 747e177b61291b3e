package dev.codelab.auth.token;

import dev.codelab.auth.abuse.AbuseGuard;
import dev.codelab.auth.audit.AuditEvent;
import dev.codelab.auth.audit.AuditLog;
import dev.codelab.auth.audit.RequestOrigin;
import dev.codelab.auth.client.OAuthClient;
import dev.codelab.auth.oauth.Form;
import dev.codelab.auth.oauth.OAuthError;
import dev.codelab.auth.refresh.RefreshToken;
import dev.codelab.auth.refresh.RefreshTokenStore;
import dev.codelab.auth.user.PasswordHasher;
import dev.codelab.auth.user.User;
import dev.codelab.auth.user.UserStore;
import dev.codelab.shared.db.Database;
import dev.codelab.shared.db.Sql;
import dev.codelab.shared.ratelimit.RateLimiter;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The three grants of the token endpoint, after the client has been authenticated and allowed the grant.
 */
final class Grants {

    static final String PASSWORD = "password";
    static final String REFRESH_TOKEN = "refresh_token";
    static final String CLIENT_CREDENTIALS = "client_credentials";

    private static final String BAD_CREDENTIALS = "Invalid username or password";
    private static final int MAX_AUDITED_USERNAME = 255;

    private final Database database;
    private final UserStore users;
    private final PasswordHasher hasher;
    private final RefreshTokenStore refreshTokens;
    private final AccessTokens accessTokens;
    private final AbuseGuard abuse;
    private final AuditLog audit;
    private final Clock clock;
    private final int sessionMaxSeconds;

    Grants(
            Database database,
            PasswordHasher hasher,
            AccessTokens accessTokens,
            AbuseGuard abuse,
            AuditLog audit,
            Clock clock,
            int sessionMaxSeconds) {
        this.database = database;
        this.users = new UserStore(database);
        this.hasher = hasher;
        this.refreshTokens = new RefreshTokenStore(database);
        this.accessTokens = accessTokens;
        this.abuse = abuse;
        this.audit = audit;
        this.clock = clock;
        this.sessionMaxSeconds = sessionMaxSeconds;
    }

    TokenResponse password(OAuthClient client, Form form, RequestOrigin origin) {
        Optional<String> username = form.get("username");
        Optional<String> password = form.get("password");
        if (username.isEmpty() || password.isEmpty()) {
            throw OAuthError.invalidRequest("Missing required parameters: username and password");
        }
        String scope = Scopes.grant(client, form.get("scope"));
        limitAttempts(client, username.get(), origin);
        Optional<User> user = users.findByLogin(username.get());
        boolean passwordOk = hasher.verifyOrDummy(
                password.get(), user.map(User::passwordHash).orElse(null));
        if (!passwordOk || !user.get().active()) {
            refuseLogin(client, username.get(), origin);
        }
        abuse.clearFailures(username.get());
        Instant now = clock.instant();
        users.recordLogin(user.get().id(), now);
        return database.transaction(tx -> startSession(tx, client, user.get(), scope, origin, now));
    }

    /** Refuses a password attempt while the username or IP is locked out, or past the attempts per username. */
    private void limitAttempts(OAuthClient client, String username, RequestOrigin origin) {
        OptionalLong locked = abuse.lockedFor(username, origin.ip());
        if (locked.isPresent()) {
            throw OAuthError.tooManyFailedAttempts(locked.getAsLong());
        }
        RateLimiter.Decision attempts = abuse.hitUsername(username);
        if (!attempts.allowed()) {
            if (abuse.firstRejection("username:" + username.toLowerCase(Locale.ROOT), attempts.resetSeconds())) {
                audit.record(AuditLog.Entry.failure(
                        AuditEvent.RATE_LIMITED,
                        null,
                        client.clientId(),
                        origin,
                        Map.of("limit", "username", "username", cut(username)),
                        "Password attempts per username exceeded"));
            }
            throw OAuthError.rateLimited(attempts.resetSeconds());
        }
    }

    /** A login's tokens: the first refresh token of a new family, and an access token. */
    private TokenResponse startSession(
            Sql tx, OAuthClient client, User user, String scope, RequestOrigin origin, Instant now) {
        String refresh = RefreshTokenStore.newTokenValue();
        Instant familyExpires = now.plusSeconds(sessionMaxSeconds);
        refreshTokens.insert(
                tx,
                refresh,
                UUID.randomUUID(),
                null,
                user.id(),
                client.clientId(),
                scope,
                now,
                earliest(now.plusSeconds(client.refreshLifetime()), familyExpires),
                familyExpires);
        audit.record(
                tx,
                AuditLog.Entry.success(
                        AuditEvent.LOGIN_SUCCESS, user.id(), client.clientId(), origin, Map.of("scope", scope)));
        return new TokenResponse(
                accessTokens.issue(user.id().toString(), client.clientId(), scope, client.accessLifetime()),
                refresh,
                client.accessLifetime(),
                scope);
    }

    private void refuseLogin(OAuthClient client, String username, RequestOrigin origin) {
        boolean lockedNow = abuse.recordFailure(username, origin.ip());
        audit.record(AuditLog.Entry.failure(
                AuditEvent.LOGIN_FAILED,
                null,
                client.clientId(),
                origin,
                Map.of("username", cut(username)),
                "Invalid credentials"));
        if (lockedNow) {
            audit.record(AuditLog.Entry.failure(
                    AuditEvent.LOCKOUT,
                    null,
                    client.clientId(),
                    origin,
                    Map.of("username", cut(username)),
                    "Too many failed attempts"));
        }
        throw OAuthError.invalidGrant(BAD_CREDENTIALS);
    }

    /**
     * Rotates the presented refresh token: in one transaction it is marked used, a child in the same family is
     * stored and a fresh access token issued. A token that was already rotated is being replayed (stolen, or a
     * client racing itself): its whole family is revoked.
     */
    TokenResponse refresh(OAuthClient client, Form form, RequestOrigin origin) {
        String presented = form.require("refresh_token");
        Instant now = clock.instant();
        Optional<TokenResponse> issued = database.transaction(tx -> refreshTokens
                .consume(tx, presented, client.clientId(), now)
                .map(old -> rotate(tx, old, client, origin, now)));
        if (issued.isPresent()) {
            return issued.get();
        }
        Optional<RefreshToken> replayed = refreshTokens
                .find(presented)
                .filter(t -> RefreshTokenStore.ROTATED.equals(t.revokedReason())
                        && t.clientId().equals(client.clientId()));
        if (replayed.isPresent()) {
            revokeReplayedFamily(replayed.get(), origin, now);
            throw OAuthError.invalidGrant("Refresh token has been revoked (reuse detected)");
        }
        throw OAuthError.invalidGrant("Invalid or expired refresh token");
    }

    /** The consumed token's child in the same family, and a fresh access token for its user. */
    private TokenResponse rotate(Sql tx, RefreshToken old, OAuthClient client, RequestOrigin origin, Instant now) {
        User user = users.findById(tx, old.userId())
                .filter(User::active)
                .orElseThrow(() -> OAuthError.invalidGrant("Invalid refresh token"));
        String next = RefreshTokenStore.newTokenValue();
        refreshTokens.insert(
                tx,
                next,
                old.familyId(),
                old.id(),
                user.id(),
                client.clientId(),
                old.scope(),
                now,
                earliest(now.plusSeconds(client.refreshLifetime()), old.familyExpiresAt()),
                old.familyExpiresAt());
        audit.record(tx, AuditLog.Entry.success(AuditEvent.TOKEN_REFRESH, user.id(), client.clientId(), origin, null));
        return new TokenResponse(
                accessTokens.issue(user.id().toString(), client.clientId(), old.scope(), client.accessLifetime()),
                next,
                client.accessLifetime(),
                old.scope());
    }

    private void revokeReplayedFamily(RefreshToken token, RequestOrigin origin, Instant now) {
        database.transaction(tx -> {
            int revoked = refreshTokens.revokeFamily(tx, token.familyId(), RefreshTokenStore.REUSE, now);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("family_id", token.familyId().toString());
            data.put("revoked_tokens", revoked);
            audit.record(
                    tx,
                    AuditLog.Entry.failure(
                            AuditEvent.REFRESH_REUSE_DETECTED,
                            token.userId(),
                            token.clientId(),
                            origin,
                            data,
                            "Security incident: refresh token reuse"));
            return null;
        });
    }

    TokenResponse clientCredentials(OAuthClient client, Form form) {
        if (!client.confidential()) {
            throw OAuthError.unauthorizedClient(CLIENT_CREDENTIALS);
        }
        String scope = Scopes.grant(client, form.get("scope"));
        return new TokenResponse(
                accessTokens.issue(client.clientId(), client.clientId(), scope, client.accessLifetime()),
                null,
                client.accessLifetime(),
                scope);
    }

    private static Instant earliest(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static String cut(String username) {
        return username.length() > MAX_AUDITED_USERNAME ? username.substring(0, MAX_AUDITED_USERNAME) : username;
    }
}
