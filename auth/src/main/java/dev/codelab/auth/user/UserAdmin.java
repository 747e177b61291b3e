package dev.codelab.auth.user;

import dev.codelab.auth.audit.AuditEvent;
import dev.codelab.auth.audit.AuditLog;
import dev.codelab.auth.audit.RequestOrigin;
import dev.codelab.auth.refresh.RefreshTokenStore;
import dev.codelab.shared.db.Database;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Creating and changing users, for the seed, the {@code codelab user} command and the dev stack. Every path
 * applies {@link UserRules}; disabling a user or changing a password ends the user's sessions.
 */
public final class UserAdmin {

    private final Database database;
    private final UserStore users;
    private final RefreshTokenStore refreshTokens;
    private final PasswordHasher hasher;
    private final AuditLog audit;
    private final Clock clock;

    public UserAdmin(Database database, PasswordHasher hasher, AuditLog audit, Clock clock) {
        this.database = database;
        this.users = new UserStore(database);
        this.refreshTokens = new RefreshTokenStore(database);
        this.hasher = hasher;
        this.audit = audit;
        this.clock = clock;
    }

    /** For tools that open the auth database themselves (the {@code codelab user} command). */
    public static UserAdmin over(Database database) {
        Clock clock = Clock.systemUTC();
        return new UserAdmin(
                database, new PasswordHasher(PasswordHasher.DEFAULT_COST), new AuditLog(database, clock), clock);
    }

    public User create(String username, String email, String password, boolean verified, RequestOrigin origin) {
        UserRules.checkUsername(username);
        UserRules.checkEmail(email);
        UserRules.checkPassword(password, username, email);
        Instant now = clock.instant();
        User user = new User(UUID.randomUUID(), username, email, hasher.hash(password), true, verified, now, null);
        return database.transaction(tx -> {
            if (!users.insert(tx, user)) {
                throw new InvalidUserException(InvalidUserException.Reason.TAKEN, "Username or email is already taken");
            }
            audit.record(
                    tx,
                    AuditLog.Entry.success(
                            AuditEvent.USER_CREATED, user.id(), null, origin, Map.of("username", username)));
            return user;
        });
    }

    public List<User> list() {
        return users.list();
    }

    /** Disables the user and revokes every refresh token the user holds. */
    public User disable(String login, RequestOrigin origin) {
        User user = require(login);
        Instant now = clock.instant();
        database.transaction(tx -> {
            users.setActive(tx, user.id(), false, now);
            int revoked = refreshTokens.revokeUser(tx, user.id(), "user_disabled", now);
            audit.record(
                    tx,
                    AuditLog.Entry.success(
                            AuditEvent.USER_DISABLED, user.id(), null, origin, Map.of("revoked_tokens", revoked)));
            return null;
        });
        return require(login);
    }

    /** Lets a disabled user log in again. */
    public User enable(String login) {
        User user = require(login);
        database.transaction(tx -> {
            users.setActive(tx, user.id(), true, clock.instant());
            return null;
        });
        return require(login);
    }

    /** Sets a new password and revokes the user's refresh tokens, so other sessions must log in again. */
    public User changePassword(String login, String password) {
        User user = require(login);
        UserRules.checkPassword(password, user.username(), user.email());
        String hash = hasher.hash(password);
        Instant now = clock.instant();
        database.transaction(tx -> {
            users.setPasswordHash(tx, user.id(), hash, now);
            refreshTokens.revokeUser(tx, user.id(), "password_changed", now);
            return null;
        });
        return require(login);
    }

    /**
     * Makes sure {@code username} exists, is active and has {@code password} (the dev stack's demo user):
     * creates it, or re-enables it and resets the password when they differ.
     */
    public User ensure(String username, String email, String password) {
        var existing = users.findByLogin(username);
        if (existing.isEmpty()) {
            return create(username, email, password, true, RequestOrigin.LOCAL);
        }
        User user = existing.get();
        if (!user.active() || !hasher.verify(password, user.passwordHash())) {
            UserRules.checkPassword(password, user.username(), user.email());
            String hash = hasher.hash(password);
            Instant now = clock.instant();
            database.transaction(tx -> {
                users.setPasswordHash(tx, user.id(), hash, now);
                users.setActive(tx, user.id(), true, now);
                return null;
            });
        }
        return require(username);
    }

    public User require(String login) {
        return users.findByLogin(login)
                .orElseThrow(() -> new InvalidUserException(InvalidUserException.Reason.NOT_FOUND, "No user " + login));
    }
}
