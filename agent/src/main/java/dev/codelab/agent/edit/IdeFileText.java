package dev.codelab.agent.edit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Set;

/**
 * The whole text of a file from the IDE's answer to {@code read_file}: either a string, or an object with
 * {@code content} (and, from IDEs that report them, {@code encoding}, {@code start_line}, {@code end_line},
 * {@code total_lines}). Anything else — an error, part of a file, binary content — cannot be edited.
 */
final class IdeFileText {

    private static final Set<String> TEXT_ENCODINGS = Set.of(
            "utf-8",
            "utf8",
            "iso-8859-1",
            "latin-1",
            "latin1",
            "us-ascii",
            "ascii",
            "utf-16",
            "utf-16le",
            "utf-16be",
            "windows-1252",
            "cp1252");

    private IdeFileText() {}

    /** The text, or a {@link EditOutcome.Failed} explaining to the model why the file cannot be edited. */
    static Result of(String path, JsonNode result, String error) {
        if (error != null) {
            return failed("cannot read " + path + ": " + error + ". To create a new file use write_file.");
        }
        if (result != null && result.isTextual()) {
            return text(path, result.asText());
        }
        if (result == null || !result.path("content").isTextual()) {
            return failed("the IDE's read_file answer for " + path + " holds no text content; use write_file "
                    + "with the whole new content instead.");
        }
        String encoding = result.path("encoding").asText("utf-8").toLowerCase(Locale.ROOT);
        if (!TEXT_ENCODINGS.contains(encoding)) {
            return failed(path + " is not a text file (the IDE read it as " + encoding + "); it cannot be edited.");
        }
        if (isPartial(result)) {
            return failed(
                    "the IDE returned only lines " + result.path("start_line").asInt() + "-"
                            + result.path("end_line").asInt() + " of the "
                            + result.path("total_lines").asInt()
                            + " of " + path + ", so it cannot be edited safely; use write_file instead.");
        }
        return text(path, result.get("content").asText());
    }

    private static boolean isPartial(JsonNode result) {
        if (!result.path("total_lines").isNumber()) {
            return false;
        }
        int total = result.get("total_lines").asInt();
        return result.path("start_line").asInt(1) > 1 || result.path("end_line").asInt(total) < total;
    }

    private static Result text(String path, String text) {
        if (text.indexOf('\0') >= 0) {
            return failed(path + " is not a text file (it contains NUL bytes); it cannot be edited.");
        }
        return new Result(text, null);
    }

    private static Result failed(String message) {
        return new Result(null, new EditOutcome.Failed(message));
    }

    /** Exactly one of the two is set. */
    record Result(String text, EditOutcome.Failed failure) {}
}
