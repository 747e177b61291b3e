package dev.codelab.auth.client;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import dev.codelab.auth.db.Jdbc;

/** The {@code oauth_clients} table. Scopes and grant types are stored space-separated. */
public final class ClientStore {

    private final Jdbc jdbc;

    public ClientStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<OAuthClient> find(String clientId) {
        return jdbc.queryOne("SELECT * FROM oauth_clients WHERE client_id = ?", ClientStore::read, clientId);
    }

    /** Inserts the client unless one with its id exists; {@code true} when inserted. */
    public boolean insertIfAbsent(OAuthClient client, String description, Instant now) {
        return jdbc.update("""
                INSERT INTO oauth_clients (id, client_id, client_secret_hash, name, description, is_confidential,
                                           allowed_scopes, allowed_grant_types, access_token_lifetime,
                                           refresh_token_lifetime, is_active, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (client_id) DO NOTHING
                """, UUID.randomUUID(), client.clientId(), client.secretHash(), client.name(), description,
                client.confidential(), String.join(" ", client.allowedScopes()), String.join(" ", new TreeSet<>(client.grantTypes())),
                client.accessLifetime(), client.refreshLifetime(), client.active(), now, now) == 1;
    }

    public void setSecretHash(String clientId, String secretHash, Instant now) {
        jdbc.update("UPDATE oauth_clients SET client_secret_hash = ?, updated_at = ? WHERE client_id = ?", secretHash, now, clientId);
    }

    private static OAuthClient read(ResultSet rs) throws SQLException {
        return new OAuthClient(rs.getString("client_id"), rs.getString("client_secret_hash"), rs.getString("name"),
                rs.getBoolean("is_confidential"), words(rs.getString("allowed_scopes")),
                Set.copyOf(words(rs.getString("allowed_grant_types"))), rs.getInt("access_token_lifetime"),
                rs.getInt("refresh_token_lifetime"), rs.getBoolean("is_active"));
    }

    private static TreeSet<String> words(String text) {
        TreeSet<String> words = new TreeSet<>(Arrays.asList(text.trim().split("\\s+")));
        words.remove("");
        return words;
    }
}
