package dev.codelab.auth.user;

import dev.codelab.shared.db.Database;
import dev.codelab.shared.db.Rows;
import dev.codelab.shared.db.Sql;
import io.helidon.dbclient.DbRow;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The {@code users} table. Usernames and emails match case-insensitively. */
public final class UserStore {

    private final Database database;

    public UserStore(Database database) {
        this.database = database;
    }

    /** The user whose username, else whose email, is {@code login}. */
    public Optional<User> findByLogin(String login) {
        return database.sql().one("""
                SELECT * FROM users WHERE lower(username) = lower(?) OR lower(email) = lower(?)
                ORDER BY (lower(username) = lower(?)) DESC LIMIT 1
                """, UserStore::read, login, login, login);
    }

    public Optional<User> findById(Sql tx, UUID id) {
        return tx.one("SELECT * FROM users WHERE id = ?::uuid", UserStore::read, id);
    }

    public List<User> list() {
        return database.sql().list("SELECT * FROM users ORDER BY lower(username)", UserStore::read);
    }

    /** Inserts a user; {@code false} when the username or email is taken. */
    boolean insert(Sql tx, User user) {
        return tx.update(
                        """
                INSERT INTO users (id, username, email, password_hash, is_active, is_verified, created_at, updated_at)
                VALUES (?::uuid, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """,
                        user.id(),
                        user.username(),
                        user.email(),
                        user.passwordHash(),
                        user.active(),
                        user.verified(),
                        user.createdAt(),
                        user.createdAt())
                == 1;
    }

    void setActive(Sql tx, UUID id, boolean active, Instant now) {
        tx.update("UPDATE users SET is_active = ?, updated_at = ? WHERE id = ?::uuid", active, now, id);
    }

    void setPasswordHash(Sql tx, UUID id, String hash, Instant now) {
        tx.update("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?::uuid", hash, now, id);
    }

    public void recordLogin(UUID id, Instant now) {
        database.sql().update("UPDATE users SET last_login_at = ? WHERE id = ?::uuid", now, id);
    }

    private static User read(DbRow row) {
        return new User(
                Rows.uuid(row, "id"),
                Rows.text(row, "username"),
                Rows.text(row, "email"),
                Rows.text(row, "password_hash"),
                Rows.bool(row, "is_active"),
                Rows.bool(row, "is_verified"),
                Rows.instant(row, "created_at"),
                Rows.instant(row, "last_login_at"));
    }
}
