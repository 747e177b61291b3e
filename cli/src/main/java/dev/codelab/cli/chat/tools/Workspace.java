package dev.codelab.cli.chat.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The directory the agent's tools may touch. Every path an agent names is relative to it; a path is refused
 * when it is absolute, when it leaves the directory after normalization ({@code ../x}), or when following
 * symbolic links leads outside it (checked on the real path of the target, or of its nearest existing
 * ancestor for a file about to be created).
 */
public final class Workspace {

    private final Path root;

    /** @param dir the workspace directory; must exist */
    public Workspace(Path dir) {
        try {
            this.root = dir.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("Workspace directory " + dir + " does not exist", e);
        }
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("Workspace " + dir + " is not a directory");
        }
    }

    public Path root() {
        return root;
    }

    /** The absolute path of {@code relative} inside the workspace, or a failure naming why it is refused. */
    public Path resolve(String relative) throws ToolFailure {
        if (relative == null || relative.isBlank()) {
            throw new ToolFailure("A path is required");
        }
        Path given;
        try {
            given = Path.of(relative);
        } catch (InvalidPathException e) {
            throw new ToolFailure("Invalid path '" + relative + "': " + e.getReason());
        }
        if (given.isAbsolute()) {
            throw new ToolFailure("Path '" + relative
                    + "' is outside the workspace: absolute paths are not allowed, use a path relative "
                    + "to the workspace");
        }
        Path target = root.resolve(given).normalize();
        if (!target.startsWith(root) || !realPathOfNearestExisting(target).startsWith(root)) {
            throw new ToolFailure("Path '" + relative + "' is outside the workspace");
        }
        return target;
    }

    /** How {@code path} (inside the workspace) is shown to the agent: relative, with forward slashes. */
    public String display(Path path) {
        String relative = root.relativize(path).toString().replace('\\', '/');
        return relative.isEmpty() ? "." : relative;
    }

    private static Path realPathOfNearestExisting(Path target) throws ToolFailure {
        Path existing = target;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        try {
            return existing == null ? target : existing.toRealPath();
        } catch (IOException e) {
            // a dangling symlink: refuse rather than guess where it would lead once created
            throw new ToolFailure("Path '" + target.getFileName() + "' is a broken link");
        }
    }
}
