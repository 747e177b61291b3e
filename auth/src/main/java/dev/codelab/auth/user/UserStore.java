package dev.codelab.auth.user;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.codelab.auth.db.Jdbc;

/** The {@code users} table. Usernames and emails match case-insensitively. */
public final class UserStore {

    private final Jdbc jdbc;

    public UserStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /** The user whose username, else whose email, is {@code login}. */
    public Optional<User> findByLogin(String login) {
        return jdbc.queryOne("""
                SELECT * FROM users WHERE lower(username) = lower(?) OR lower(email) = lower(?)
                ORDER BY (lower(username) = lower(?)) DESC LIMIT 1
                """, UserStore::read, login, login, login);
    }

    public Optional<User> findById(Jdbc.Tx tx, UUID id) {
        return tx.queryOne("SELECT * FROM users WHERE id = ?", UserStore::read, id);
    }

    public List<User> list() {
        return jdbc.query("SELECT * FROM users ORDER BY lower(username)", UserStore::read);
    }

    /** Inserts a user; {@code false} when the username or email is taken. */
    boolean insert(Jdbc.Tx tx, User user) {
        return tx.update("""
                INSERT INTO users (id, username, email, password_hash, is_active, is_verified, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """, user.id(), user.username(), user.email(), user.passwordHash(), user.active(), user.verified(),
                user.createdAt(), user.createdAt()) == 1;
    }

    void setActive(Jdbc.Tx tx, UUID id, boolean active, Instant now) {
        tx.update("UPDATE users SET is_active = ?, updated_at = ? WHERE id = ?", active, now, id);
    }

    void setPasswordHash(Jdbc.Tx tx, UUID id, String hash, Instant now) {
        tx.update("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", hash, now, id);
    }

    public void recordLogin(UUID id, Instant now) {
        jdbc.update("UPDATE users SET last_login_at = ? WHERE id = ?", now, id);
    }

    private static User read(ResultSet rs) throws SQLException {
        return new User(rs.getObject("id", UUID.class), rs.getString("username"), rs.getString("email"),
                rs.getString("password_hash"), rs.getBoolean("is_active"), rs.getBoolean("is_verified"),
                Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "last_login_at"));
    }
}
