package dev.codelab.cli.chat.tools;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.shared.http.Json;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;

/** {@code read_file}, {@code write_file}, {@code list_files}, {@code create_directory} inside the workspace. */
final class FileTools {

    static final long MAX_READ_BYTES = 1024 * 1024;
    static final int MAX_LISTED = 1000;

    private final Workspace workspace;

    FileTools(Workspace workspace) {
        this.workspace = workspace;
    }

    /**
     * {@code {path, start_line?, end_line?}} → {@code {path, content, encoding, total_lines, start_line, end_line}}.
     * The whole file comes exactly as it is (line endings, final newline); a range of lines is joined with LF.
     */
    ObjectNode read(Arguments args) throws ToolFailure {
        Path file = workspace.resolve(args.requiredText("path"));
        if (!Files.isRegularFile(file)) {
            throw new ToolFailure("File not found: " + args.requiredText("path"));
        }
        Decoded decoded = decoded(file, args.requiredText("path"));
        String text = decoded.text();
        List<String> lines = text.lines().toList();
        int start = args.number("start_line") == null ? 1 : args.number("start_line");
        int end = args.number("end_line") == null ? lines.size() : Math.min(args.number("end_line"), lines.size());
        if (start < 1 || (end < start && !lines.isEmpty())) {
            throw new ToolFailure(
                    "Invalid line range " + start + ".." + end + " (the file has " + lines.size() + " lines)");
        }
        boolean whole = start == 1 && end == lines.size();
        String content = whole ? text : String.join("\n", lines.subList(start - 1, end));
        return Json.MAPPER
                .createObjectNode()
                .put("path", workspace.display(file))
                .put("content", content)
                .put("encoding", decoded.codec().label())
                .put("total_lines", lines.size())
                .put("start_line", start)
                .put("end_line", end);
    }

    private record Decoded(String text, TextCodec codec) {}

    private static Decoded decoded(Path file, String path) throws ToolFailure {
        try {
            if (Files.size(file) > MAX_READ_BYTES) {
                throw new ToolFailure("File is larger than 1 MiB; use search_in_code to find the part you need");
            }
            byte[] bytes = Files.readAllBytes(file);
            TextCodec codec = TextCodec.of(bytes);
            return new Decoded(codec.decode(bytes), codec);
        } catch (IOException e) {
            throw new ToolFailure("Cannot read " + path + ": " + e.getMessage());
        }
    }

    /**
     * {@code {path, content}} → {@code {success, path, bytes_written, created}}; parent directories are created. A
     * new file is UTF-8; an existing one keeps its encoding (see {@link TextCodec}).
     */
    ObjectNode write(Arguments args) throws ToolFailure {
        Path file = workspace.resolve(args.requiredText("path"));
        String content = args.requiredText("content");
        if (Files.isDirectory(file)) {
            throw new ToolFailure(args.requiredText("path") + " is a directory");
        }
        boolean created = !Files.exists(file);
        byte[] bytes;
        try {
            bytes = (created ? TextCodec.UTF_8 : TextCodec.of(Files.readAllBytes(file))).encode(content);
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new ToolFailure("Cannot write " + args.requiredText("path") + ": " + e.getMessage());
        }
        return Json.MAPPER
                .createObjectNode()
                .put("success", true)
                .put("path", workspace.display(file))
                .put("bytes_written", bytes.length)
                .put("created", created);
    }

    /**
     * {@code {path?, recursive?, pattern?}} → {@code {path, files:[{path, type, size}], truncated}}; {@code pattern}
     * is a glob on the file name; {@code .git} is skipped; symbolic links are listed, not followed.
     */
    ObjectNode list(Arguments args) throws ToolFailure {
        Path dir = workspace.resolve(args.text("path", "."));
        if (!Files.isDirectory(dir)) {
            throw new ToolFailure("Not a directory: " + args.text("path", "."));
        }
        PathMatcher pattern = globOrNull(args.text("pattern", null));
        ObjectNode result = Json.MAPPER.createObjectNode().put("path", workspace.display(dir));
        ArrayNode files = result.putArray("files");
        boolean truncated = false;
        try (Stream<Path> entries = args.flag("recursive", false) ? Files.walk(dir) : Files.list(dir)) {
            for (Path entry :
                    (Iterable<Path>) entries.filter(p -> !p.equals(dir)).sorted()::iterator) {
                if (!shown(entry, pattern)) {
                    continue;
                }
                if (files.size() == MAX_LISTED) {
                    truncated = true;
                    break;
                }
                addEntry(files, entry);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new ToolFailure("Cannot list " + args.text("path", ".") + ": " + e.getMessage());
        }
        return result.put("truncated", truncated);
    }

    /** Whether the listing shows {@code entry}: not in {@code .git}, and matching the pattern if there is one. */
    private boolean shown(Path entry, PathMatcher pattern) {
        if (workspace.display(entry).equals(".git") || workspace.display(entry).startsWith(".git/")) {
            return false;
        }
        return pattern == null || pattern.matches(entry.getFileName());
    }

    private void addEntry(ArrayNode files, Path entry) throws IOException {
        boolean directory = Files.isDirectory(entry);
        ObjectNode file =
                files.addObject().put("path", workspace.display(entry)).put("type", directory ? "directory" : "file");
        if (!directory) {
            file.put("size", Files.size(entry));
        }
    }

    /** {@code {path}} → {@code {success, path}}; existing directories are fine. */
    ObjectNode createDirectory(Arguments args) throws ToolFailure {
        Path dir = workspace.resolve(args.requiredText("path"));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new ToolFailure("Cannot create " + args.requiredText("path") + ": " + e.getMessage());
        }
        return Json.MAPPER.createObjectNode().put("success", true).put("path", workspace.display(dir));
    }

    static PathMatcher globOrNull(String glob) throws ToolFailure {
        if (glob == null || glob.isBlank()) {
            return null;
        }
        try {
            return FileSystems.getDefault().getPathMatcher("glob:" + glob);
        } catch (IllegalArgumentException e) {
            throw new ToolFailure("Invalid pattern '" + glob + "': " + e.getMessage());
        }
    }
}
