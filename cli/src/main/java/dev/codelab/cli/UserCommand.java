package dev.codelab.cli;

import dev.codelab.auth.audit.RequestOrigin;
import dev.codelab.auth.user.InvalidUserException;
import dev.codelab.auth.user.User;
import dev.codelab.auth.user.UserAdmin;
import dev.codelab.shared.db.Database;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code codelab user add|list|disable|passwd}: manages users directly in the auth database. Passwords are
 * asked for on the terminal (or read from the first line of standard input when there is none), so they do
 * not end up in shell history; {@code --password=...} exists for scripts.
 */
@Command(
        name = "user",
        mixinStandardHelpOptions = true,
        description = "Manage users in the auth database.",
        subcommands = {
            UserCommand.Add.class,
            UserCommand.ListUsers.class,
            UserCommand.Disable.class,
            UserCommand.Passwd.class
        })
final class UserCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs {@code action} on the auth database; a rule violation is a one-line error and exit code 1. */
    static int withUsers(CommandSpec spec, AuthDatabaseOptions db, Function<UserAdmin, String> action) {
        PrintWriter out = spec.commandLine().getOut();
        try (Database database = db.open()) {
            out.println(action.apply(UserAdmin.over(database)));
            return 0;
        } catch (InvalidUserException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("codelab user: " + e.getMessage());
            return 1;
        }
    }

    static String password(char[] given, CommandSpec spec) {
        if (given != null && given.length > 0) {
            return new String(given);
        }
        Console console = System.console();
        if (console != null) {
            char[] first = console.readPassword("Password: ");
            char[] again = console.readPassword("Repeat password: ");
            if (!Arrays.equals(first, again)) {
                throw new IllegalArgumentException("The passwords do not match");
            }
            return new String(first);
        }
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw new IllegalArgumentException("No password given (use --password or type it on standard input)");
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String describe(User user) {
        return String.format(
                "%-24s %-32s %-8s %-8s %-20s %s",
                user.username(),
                user.email(),
                user.active() ? "active" : "disabled",
                user.verified() ? "verified" : "-",
                user.createdAt().toString().substring(0, 19),
                user.lastLoginAt() == null ? "never" : user.lastLoginAt());
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Create a user (password: 8-72 characters).")
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        AuthDatabaseOptions db;

        @Parameters(index = "0", description = "Username (3-64 letters, digits, '_', '.', '-').")
        String username;

        @Option(names = "--email", required = true, description = "Email address (unique).")
        String email;

        @Option(
                names = "--password",
                arity = "0..1",
                interactive = true,
                description = "Password; prompted when omitted.")
        char[] password;

        @Option(names = "--verified", description = "Mark the email as verified.")
        boolean verified;

        @Override
        public Integer call() {
            return withUsers(spec, db, users -> {
                User user = users.create(username, email, password(password, spec), verified, RequestOrigin.LOCAL);
                return "Created user " + user.username() + " (" + user.id() + ")";
            });
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List users.")
    static final class ListUsers implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        AuthDatabaseOptions db;

        @Override
        public Integer call() {
            return withUsers(spec, db, users -> {
                StringBuilder table = new StringBuilder(String.format(
                        "%-24s %-32s %-8s %-8s %-20s %s",
                        "USERNAME", "EMAIL", "STATUS", "EMAIL", "CREATED", "LAST LOGIN"));
                users.list().forEach(u -> table.append('\n').append(describe(u)));
                return table.toString();
            });
        }
    }

    @Command(
            name = "disable",
            mixinStandardHelpOptions = true,
            description = "Disable a user and end all of the user's sessions (refresh tokens).")
    static final class Disable implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        AuthDatabaseOptions db;

        @Parameters(index = "0", description = "Username or email.")
        String login;

        @Override
        public Integer call() {
            return withUsers(
                    spec,
                    db,
                    users -> "Disabled user "
                            + users.disable(login, RequestOrigin.LOCAL).username());
        }
    }

    @Command(
            name = "passwd",
            mixinStandardHelpOptions = true,
            description = "Set a user's password and end the user's other sessions.")
    static final class Passwd implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        AuthDatabaseOptions db;

        @Parameters(index = "0", description = "Username or email.")
        String login;

        @Option(
                names = "--password",
                arity = "0..1",
                interactive = true,
                description = "New password; prompted when omitted.")
        char[] password;

        @Override
        public Integer call() {
            return withUsers(
                    spec,
                    db,
                    users -> "Changed the password of "
                            + users.changePassword(login, password(password, spec))
                                    .username());
        }
    }
}
