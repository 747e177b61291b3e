package dev.codelab.cli.chat;

import dev.codelab.client.CodeLabClient;
import dev.codelab.client.CodeLabException;

/** The password grant with whatever was not given asked for (the password without echo on a console). */
final class LoginPrompt {

    private LoginPrompt() {}

    /** Logs in; false, with the reason printed, when that failed. */
    static boolean logIn(CodeLabClient client, String url, String username, String password, Terminal terminal) {
        String user = username != null
                ? username
                : terminal.prompt("Username for " + url + ": ").orElse("");
        String secret =
                password != null ? password : terminal.readSecret("Password: ").orElse("");
        if (user.isBlank() || secret.isEmpty()) {
            terminal.err().println("login: a username and a password are required");
            return false;
        }
        try {
            client.login(user.strip(), secret);
        } catch (CodeLabException e) {
            terminal.err()
                    .println("login failed: " + e.getMessage() + (e.status() > 0 ? " (HTTP " + e.status() + ")" : ""));
            return false;
        }
        terminal.out().println("Logged in to " + url + " as " + user.strip() + ".");
        terminal.out().flush();
        return true;
    }
}
