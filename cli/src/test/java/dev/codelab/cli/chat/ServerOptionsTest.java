package dev.codelab.cli.chat;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.codelab.client.FileTokenStore;
import dev.codelab.client.Tokens;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerOptionsTest {

    @TempDir
    Path temp;

    private ServerOptions options(Map<String, String> env) {
        ServerOptions options = new ServerOptions();
        options.env = env;
        return options;
    }

    @Test
    void credentialsLiveUnderXdgConfigHomeElseDotConfig() {
        assertThat(
                options(Map.of("XDG_CONFIG_HOME", "/x/cfg")).credentialsFile(),
                is(Path.of("/x/cfg/codelab/credentials")));
        assertThat(
                options(Map.of()).credentialsFile(),
                is(Path.of(System.getProperty("user.home"), ".config", "codelab", "credentials")));
    }

    @Test
    void theUrlIsTheOptionElseCodelabUrlElseTheLastLoginElseLocalhost() {
        Path file = temp.resolve("credentials");
        new FileTokenStore(file, "https://last.example").save(new Tokens("a", "r", Instant.EPOCH, ""));

        ServerOptions given = options(Map.of("CODELAB_URL", "https://env.example/"));
        given.url = "https://option.example/";
        assertThat(given.serverUrl(true), is("https://option.example"));

        ServerOptions fromEnv = options(Map.of("CODELAB_URL", "https://env.example/"));
        assertThat(fromEnv.serverUrl(true), is("https://env.example"));

        ServerOptions remembered = options(Map.of());
        remembered.credentials = file;
        assertThat(remembered.serverUrl(true), is("https://last.example"));
        assertThat("login does not reuse the last server", remembered.serverUrl(false), is("http://localhost:8080"));

        ServerOptions nothing = options(Map.of());
        nothing.credentials = temp.resolve("none");
        assertThat(nothing.serverUrl(true), is("http://localhost:8080"));
    }
}
