package dev.codelab.cli.chat;

import dev.codelab.client.AuthenticationRequiredException;
import dev.codelab.client.CodeLabClient;
import dev.codelab.client.CodeLabException;
import dev.codelab.client.FileTokenStore;
import dev.codelab.shared.config.ServiceConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * {@code --url} and the credentials file, shared by login, chat, sessions and usage. The server is {@code --url}, else
 * {@code CODELAB_URL}, else (except for login) the server of the last login, else {@code http://localhost:8080}.
 * Credentials live in {@code $XDG_CONFIG_HOME/codelab/credentials} (default {@code ~/.config/codelab/credentials}).
 */
public final class ServerOptions {

    static final String DEFAULT_URL = "http://localhost:8080";

    @Option(
            names = "--url",
            description = "Server URL (default: CODELAB_URL, else the last login's server, else " + DEFAULT_URL + ").")
    String url;

    @Option(names = "--credentials", hidden = true, description = "Credentials file (for tests).")
    Path credentials;

    Map<String, String> env = System.getenv();

    /** These options, with what was not given here taken from {@code outer} (options given before a subcommand). */
    ServerOptions orElse(ServerOptions outer) {
        ServerOptions merged = new ServerOptions();
        merged.url = url != null ? url : outer.url;
        merged.credentials = credentials != null ? credentials : outer.credentials;
        merged.env = env;
        return merged;
    }

    Path credentialsFile() {
        if (credentials != null) {
            return credentials;
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path config =
                xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return config.resolve("codelab").resolve("credentials");
    }

    /** The server to talk to; {@code rememberLast}: fall back to the server of the last login. */
    String serverUrl(boolean rememberLast) {
        if (url != null) {
            return ServiceConfig.stripSlash(url);
        }
        String fromEnv = env.get("CODELAB_URL");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return ServiceConfig.stripSlash(fromEnv);
        }
        if (rememberLast) {
            return FileTokenStore.defaultUrl(credentialsFile()).orElse(DEFAULT_URL);
        }
        return DEFAULT_URL;
    }

    CodeLabClient client(String serverUrl) {
        return CodeLabClient.builder(serverUrl)
                .tokenStore(new FileTokenStore(credentialsFile(), serverUrl))
                .build();
    }

    /**
     * Runs {@code action} with a client of the server (the last login's by default); a login or API problem is
     * printed on stderr as {@code <command>: <why>} and gives exit code 1.
     */
    int run(CommandSpec spec, String command, Consumer<CodeLabClient> action) {
        String serverUrl = serverUrl(true);
        try {
            action.accept(client(serverUrl));
            spec.commandLine().getOut().flush();
            return 0;
        } catch (AuthenticationRequiredException e) {
            spec.commandLine()
                    .getErr()
                    .println(command + ": " + e.getMessage() + " Run: codelab login --url " + serverUrl);
        } catch (CodeLabException e) {
            spec.commandLine()
                    .getErr()
                    .println(command + ": " + e.getMessage() + (e.status() > 0 ? " (HTTP " + e.status() + ")" : ""));
        }
        return 1;
    }
}
