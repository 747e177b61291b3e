package dev.codelab.auth.client;

import dev.codelab.shared.db.Database;
import dev.codelab.shared.db.Rows;
import io.helidon.dbclient.DbRow;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** The {@code oauth_clients} table. Scopes and grant types are stored space-separated. */
public final class ClientStore {

    private final Database database;

    public ClientStore(Database database) {
        this.database = database;
    }

    public Optional<OAuthClient> find(String clientId) {
        return database.sql().one("SELECT * FROM oauth_clients WHERE client_id = ?", ClientStore::read, clientId);
    }

    /** Inserts the client unless one with its id exists; {@code true} when inserted. */
    public boolean insertIfAbsent(OAuthClient client, String description, Instant now) {
        return database.sql()
                        .update(
                                """
                INSERT INTO oauth_clients (id, client_id, client_secret_hash, name, description, is_confidential,
                                           allowed_scopes, allowed_grant_types, access_token_lifetime,
                                           refresh_token_lifetime, is_active, created_at, updated_at)
                VALUES (?::uuid, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (client_id) DO NOTHING
                """,
                                UUID.randomUUID(),
                                client.clientId(),
                                client.secretHash(),
                                client.name(),
                                description,
                                client.confidential(),
                                String.join(" ", client.allowedScopes()),
                                String.join(" ", new TreeSet<>(client.grantTypes())),
                                client.accessLifetime(),
                                client.refreshLifetime(),
                                client.active(),
                                now,
                                now)
                == 1;
    }

    public void setSecretHash(String clientId, String secretHash, Instant now) {
        database.sql()
                .update(
                        "UPDATE oauth_clients SET client_secret_hash = ?, updated_at = ? WHERE client_id = ?",
                        secretHash,
                        now,
                        clientId);
    }

    private static OAuthClient read(DbRow row) {
        return new OAuthClient(
                Rows.text(row, "client_id"),
                Rows.text(row, "client_secret_hash"),
                Rows.text(row, "name"),
                Rows.bool(row, "is_confidential"),
                words(Rows.text(row, "allowed_scopes")),
                Set.copyOf(words(Rows.text(row, "allowed_grant_types"))),
                Rows.intValue(row, "access_token_lifetime"),
                Rows.intValue(row, "refresh_token_lifetime"),
                Rows.bool(row, "is_active"));
    }

    private static TreeSet<String> words(String text) {
        TreeSet<String> words = new TreeSet<>(Arrays.asList(text.trim().split("\\s+")));
        words.remove("");
        return words;
    }
}
