package dev.codelab.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;

/**
 * Keeps tokens in a JSON file readable only by its owner (mode 0600, directory 0700), one entry per server URL:
 * <pre>{"default_url":"http://localhost:8080",
 *  "servers":{"http://localhost:8080":{"access_token":"...","refresh_token":"...",
 *                                      "expires_at":"2026-...Z","scope":"..."}}}</pre>
 * {@code default_url} is the server saved to last, so a command line can pick the server the user logged in to.
 * Every write replaces the file atomically.
 */
public final class FileTokenStore implements TokenStore {

    private static final FileAttribute<?> OWNER_ONLY_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<?> OWNER_ONLY_DIR =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private final Path file;
    private final String serverUrl;

    /**
     * @param file      the credentials file (created on first save)
     * @param serverUrl the server whose entry this store reads and writes
     */
    public FileTokenStore(Path file, String serverUrl) {
        this.file = file;
        this.serverUrl = serverUrl;
    }

    /** The server that was saved to last, if the file exists and names one. */
    public static Optional<String> defaultUrl(Path file) {
        return Optional.of(read(file).path("default_url"))
                .filter(JsonNode::isTextual)
                .map(JsonNode::asText);
    }

    @Override
    public synchronized Optional<Tokens> load() {
        JsonNode entry = read(file).path("servers").path(serverUrl);
        if (!entry.hasNonNull("access_token") || !entry.hasNonNull("expires_at")) {
            return Optional.empty();
        }
        return Optional.of(new Tokens(
                entry.get("access_token").asText(),
                entry.hasNonNull("refresh_token") ? entry.get("refresh_token").asText() : null,
                Instant.parse(entry.get("expires_at").asText()),
                entry.path("scope").asText("")));
    }

    @Override
    public synchronized void save(Tokens tokens) {
        ObjectNode root = writableRoot();
        ObjectNode entry = root.with("servers").putObject(serverUrl);
        entry.put("access_token", tokens.accessToken());
        if (tokens.refreshToken() != null) {
            entry.put("refresh_token", tokens.refreshToken());
        }
        entry.put("expires_at", tokens.expiresAt().toString());
        entry.put("scope", tokens.scope());
        root.put("default_url", serverUrl);
        write(root);
    }

    @Override
    public synchronized void clear() {
        ObjectNode root = writableRoot();
        root.with("servers").remove(serverUrl);
        write(root);
    }

    private ObjectNode writableRoot() {
        return read(file) instanceof ObjectNode object ? object : ApiJson.MAPPER.createObjectNode();
    }

    private static JsonNode read(Path file) {
        if (!Files.exists(file)) {
            return ApiJson.MAPPER.createObjectNode();
        }
        try {
            return ApiJson.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the credentials file " + file, e);
        }
    }

    private void write(ObjectNode root) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            createOwnerOnly(dir);
            Path temp = Files.createTempFile(
                    dir,
                    ".credentials",
                    ".tmp",
                    posix(dir) ? new FileAttribute<?>[] {OWNER_ONLY_FILE} : new FileAttribute<?>[0]);
            try {
                ApiJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), root);
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the credentials file " + file, e);
        }
    }

    private static void createOwnerOnly(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (posix(dir.getRoot())) {
            Files.createDirectories(dir, OWNER_ONLY_DIR);
        } else {
            Files.createDirectories(dir);
        }
    }

    private static boolean posix(Path path) {
        return path != null
                && path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
