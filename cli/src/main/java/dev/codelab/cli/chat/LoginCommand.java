package dev.codelab.cli.chat;

import java.io.Console;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

import dev.codelab.client.CodeLabException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code codelab login}: the password grant; tokens go to the credentials file (mode 0600). */
@Command(name = "login", mixinStandardHelpOptions = true,
         description = "Log in to a CodeLab server and store the tokens in ~/.config/codelab/credentials.")
public final class LoginCommand implements Callable<Integer> {

    @Mixin
    ServerOptions server;

    @Option(names = "--username", description = "User name or e-mail (prompted when missing).")
    String username;

    @Option(names = "--password", description = "Password (prompted without echo when missing).")
    String password;

    @Spec
    CommandSpec spec;

    java.io.InputStream input = System.in;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Terminal terminal = new Terminal(input, out, err);
        String url = server.serverUrl(false);
        Console console = input == System.in ? System.console() : null;
        String user = username != null ? username
                      : console != null ? console.readLine("Username for %s: ", url)
                      : terminal.readLine("Username for " + url + ": ").orElse("");
        String secret = password != null ? password : terminal.readSecret("Password: ").orElse("");
        if (user == null || user.isBlank() || secret.isEmpty()) {
            err.println("login: a username and a password are required");
            return 2;
        }
        try {
            server.client(url).login(user.trim(), secret);
        } catch (CodeLabException e) {
            err.println("login failed: " + e.getMessage() + (e.status() > 0 ? " (HTTP " + e.status() + ")" : ""));
            return 1;
        }
        out.println("Logged in to " + url + " as " + user.trim() + ". Credentials: " + server.credentialsFile());
        return 0;
    }
}
