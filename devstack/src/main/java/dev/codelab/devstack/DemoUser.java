package dev.codelab.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * The dev stack's demo user: its password is {@code CODELAB_DEMO_PASSWORD}, or the one generated on the first
 * start and kept (mode 0600) in the data directory, so it stays the same across restarts.
 */
final class DemoUser {

    static final String USERNAME = "demo";
    static final String EMAIL = "demo@codelab.local";

    private DemoUser() {}

    static String password(Path dataDir, Map<String, String> env) {
        String configured = env.getOrDefault("CODELAB_DEMO_PASSWORD", "");
        if (!configured.isBlank()) {
            return configured;
        }
        Path file = dataDir.resolve("demo-password");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).strip();
            }
            byte[] bytes = new byte[12];
            new SecureRandom().nextBytes(bytes);
            String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            Files.createDirectories(dataDir);
            Files.writeString(file, generated);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return generated;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the demo password in " + file, e);
        }
    }
}
