package dev.codelab.client;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTokenStoreTest {

    @TempDir
    Path dir;

    @Test
    void keepsOneEntryPerServerInAFileOnlyTheOwnerCanRead() throws Exception {
        Path file = dir.resolve("codelab/credentials");
        Tokens local = new Tokens("a1", "r1", Instant.parse("2026-11-28T12:00:00Z"), "api:read api:write");
        Tokens remote = new Tokens("a2", "r2", Instant.parse("2026-11-28T13:00:00Z"), "api:read");

        new FileTokenStore(file, "http://localhost:8080").save(local);
        new FileTokenStore(file, "https://codelab.example").save(remote);

        assertThat(new FileTokenStore(file, "http://localhost:8080").load().orElseThrow(), is(local));
        assertThat(new FileTokenStore(file, "https://codelab.example").load().orElseThrow(), is(remote));
        assertThat(FileTokenStore.defaultUrl(file).orElseThrow(), is("https://codelab.example"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), is("rw-------"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())), is("rwx------"));
    }

    @Test
    void clearForgetsOnlyThatServer() {
        Path file = dir.resolve("credentials");
        FileTokenStore store = new FileTokenStore(file, "http://a");
        store.save(new Tokens("a", "r", Instant.EPOCH, ""));
        new FileTokenStore(file, "http://b").save(new Tokens("b", "r", Instant.EPOCH, ""));

        store.clear();

        assertThat(store.load().isPresent(), is(false));
        assertThat(new FileTokenStore(file, "http://b").load().isPresent(), is(true));
    }

    @Test
    void aMissingFileIsNoLogin() {
        assertThat(new FileTokenStore(dir.resolve("none"), "http://a").load().isPresent(), is(false));
        assertThat(FileTokenStore.defaultUrl(dir.resolve("none")).isPresent(), is(false));
    }
}
