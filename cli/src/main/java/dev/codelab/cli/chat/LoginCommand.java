package dev.codelab.cli.chat;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code codelab login}: the password grant; tokens go to the credentials file (mode 0600). */
@Command(
        name = "login",
        mixinStandardHelpOptions = true,
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
        Terminal terminal = new Terminal(
                input, spec.commandLine().getOut(), spec.commandLine().getErr());
        String url = server.serverUrl(false);
        if (!LoginPrompt.logIn(server.client(url), url, username, password, terminal)) {
            return 1;
        }
        terminal.out().println("Credentials: " + server.credentialsFile());
        return 0;
    }
}
