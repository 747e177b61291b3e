package dev.codelab.cli.chat.tools;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.shared.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * {@code search_in_code {query, path?, file_pattern?, regex?, case_sensitive?, max_results?}}: a grep over the
 * text files under {@code path} (default the workspace; {@code .git}, binary files and files over 2 MiB are
 * skipped). Result: {@code {matches:[{path, line, text}], count, truncated}}; {@code max_results} defaults to
 * 100 (at most 1000).
 */
final class SearchTool {

    static final int DEFAULT_MAX_RESULTS = 100;
    static final int LIMIT_MAX_RESULTS = 1000;
    static final long MAX_FILE_BYTES = 2 * 1024 * 1024;
    private static final int MAX_LINE_CHARS = 300;

    private final Workspace workspace;

    SearchTool(Workspace workspace) {
        this.workspace = workspace;
    }

    ObjectNode search(Arguments args) throws ToolFailure {
        String query = args.requiredText("query");
        if (query.isEmpty()) {
            throw new ToolFailure("search_in_code: query must not be empty");
        }
        Path base = workspace.resolve(args.text("path", "."));
        PathMatcher filePattern = FileTools.globOrNull(args.text("file_pattern", null));
        Pattern pattern = compile(query, args.flag("regex", false), args.flag("case_sensitive", false));
        int maxResults = maxResults(args.number("max_results"));

        ObjectNode result = Json.MAPPER.createObjectNode();
        ArrayNode matches = result.putArray("matches");
        boolean truncated = false;
        try (Stream<Path> files = Files.walk(base)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                String shown = workspace.display(file);
                if (shown.startsWith(".git/") || (filePattern != null && !filePattern.matches(file.getFileName()))) {
                    continue;
                }
                if (!addMatches(textLines(file), shown, pattern, matches, maxResults)) {
                    truncated = true;
                    break;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new ToolFailure("Cannot search " + args.text("path", ".") + ": " + e.getMessage());
        }
        return result.put("count", matches.size()).put("truncated", truncated);
    }

    private static int maxResults(Integer requested) {
        return requested == null ? DEFAULT_MAX_RESULTS : Math.max(1, Math.min(requested, LIMIT_MAX_RESULTS));
    }

    /** Adds the file's matching lines; false when one more matched than {@code maxResults} allows. */
    private static boolean addMatches(
            List<String> lines, String shown, Pattern pattern, ArrayNode matches, int maxResults) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!pattern.matcher(line).find()) {
                continue;
            }
            if (matches.size() == maxResults) {
                return false;
            }
            matches.addObject()
                    .put("path", shown)
                    .put("line", i + 1)
                    .put("text", line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) + "..." : line);
        }
        return true;
    }

    private static Pattern compile(String query, boolean regex, boolean caseSensitive) throws ToolFailure {
        int flags = caseSensitive ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
        try {
            return Pattern.compile(regex ? query : Pattern.quote(query), flags);
        } catch (PatternSyntaxException e) {
            throw new ToolFailure("Invalid regex: " + e.getDescription());
        }
    }

    /** The file's lines, or none for a binary (a NUL byte) or oversized file. */
    private static List<String> textLines(Path file) throws IOException {
        if (Files.size(file) > MAX_FILE_BYTES) {
            return List.of();
        }
        byte[] bytes = Files.readAllBytes(file);
        for (byte b : bytes) {
            if (b == 0) {
                return List.of();
            }
        }
        return new String(bytes, StandardCharsets.UTF_8).lines().toList();
    }
}
