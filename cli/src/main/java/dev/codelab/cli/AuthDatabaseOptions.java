package dev.codelab.cli;

import dev.codelab.shared.db.Database;
import io.helidon.logging.common.LogConfig;
import picocli.CommandLine.Option;

/** The {@code --db-url} every command on the auth database takes (default: {@code AUTH_SERVICE__DB_URL}). */
final class AuthDatabaseOptions {

    @Option(
            names = "--db-url",
            defaultValue = "${env:AUTH_SERVICE__DB_URL}",
            description = "Auth database: jdbc:postgresql://... or postgresql://user:pass@host/db (default: "
                    + "$AUTH_SERVICE__DB_URL).")
    String dbUrl;

    /** Opens the auth database, migrating it to the current schema first. */
    Database open() {
        if (dbUrl == null || dbUrl.isBlank()) {
            throw new IllegalArgumentException("Set --db-url or AUTH_SERVICE__DB_URL");
        }
        LogConfig.configureRuntime();
        return Database.start(dbUrl, 2, "auth");
    }
}
