package dev.codelab.cli;

import dev.codelab.auth.AuthApp;
import dev.codelab.auth.keys.KeyRing;
import dev.codelab.auth.keys.SigningKey;
import dev.codelab.shared.db.Database;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code codelab keys list|rotate}: the auth service's signing keys. A rotation publishes a new key at once;
 * it starts signing after the publish lead, and every running replica picks it up on its next key refresh.
 */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "Manage the auth service's signing keys.",
        subcommands = {KeysCommand.ListKeys.class, KeysCommand.Rotate.class})
final class KeysCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options shared by the key commands: the database and the master key that encrypts private keys. */
    static final class KeyOptions {
        @Mixin
        AuthDatabaseOptions db;

        @Option(
                names = "--master-key",
                defaultValue = "${env:AUTH_SERVICE__MASTER_KEY}",
                description =
                        "The service's AUTH_SERVICE__MASTER_KEY (default: that variable, else the development key).")
        String masterKey;

        <T> T withRing(java.util.function.Function<KeyRing, T> action) {
            try (Database database = db.open()) {
                String key = masterKey == null || masterKey.isBlank() ? AuthApp.DEV_MASTER_KEY : masterKey;
                KeyRing ring = new KeyRing(database, key, Clock.systemUTC());
                ring.refresh();
                return action.apply(ring);
            }
        }
    }

    static void print(PrintWriter out, SigningKey key) {
        out.printf(
                "%-44s %-9s created %s  signs from %s%s%n",
                key.kid(),
                key.status(),
                key.createdAt(),
                key.activatedAt(),
                key.retiredAt() == null ? "" : "  retired " + key.retiredAt());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List published keys.")
    static final class ListKeys implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        KeyOptions options;

        @Override
        public Integer call() {
            options.withRing(ring -> {
                ring.keys().forEach(k -> print(spec.commandLine().getOut(), k));
                return null;
            });
            return 0;
        }
    }

    @Command(
            name = "rotate",
            mixinStandardHelpOptions = true,
            description = "Publish a new signing key; it signs after the publish lead, the old key stays published "
                    + "until its tokens expire.")
    static final class Rotate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        KeyOptions options;

        @Option(
                names = "--publish-lead-seconds",
                defaultValue = "600",
                description = "Seconds between publishing and signing (default ${DEFAULT-VALUE}; keep it above the "
                        + "JWKS cache time of 300).")
        long publishLeadSeconds;

        @Override
        public Integer call() {
            SigningKey key = options.withRing(ring -> ring.rotate(Duration.ofSeconds(publishLeadSeconds)));
            spec.commandLine().getOut().print("Published new key: ");
            print(spec.commandLine().getOut(), key);
            return 0;
        }
    }
}
