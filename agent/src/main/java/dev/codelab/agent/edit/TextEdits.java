package dev.codelab.agent.edit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the edits of an {@code edit_file} call to a file's text, in order, each to the result of the one before:
 * {@code old_text} must occur exactly once (every occurrence is replaced with {@code replace_all}). All or nothing:
 * one failing edit leaves the file as it was. A byte-order mark and the file's line endings are kept: in a file
 * whose every line ends with CRLF the edits are matched and written with LF and the result is turned back to CRLF.
 */
public final class TextEdits {

    private static final String BOM = "\uFEFF";

    private TextEdits() {}

    /** Edits the text of the IDE's {@code read_file} answer ({@code result} or {@code error}). */
    public static EditOutcome apply(EditRequest request, JsonNode readResult, String readError) {
        IdeFileText.Result file = IdeFileText.of(request.path(), readResult, readError);
        return file.failure() != null ? file.failure() : apply(request, file.text());
    }

    public static EditOutcome apply(EditRequest request, String original) {
        boolean bom = original.startsWith(BOM);
        String body = bom ? original.substring(1) : original;
        boolean crlf = body.contains("\r\n") && !body.replace("\r\n", "").contains("\n");
        String text = crlf ? toLf(body) : body;
        List<EditRequest.Edit> edits = request.edits();
        for (int i = 0; i < edits.size(); i++) {
            String oldText = crlf ? toLf(edits.get(i).oldText()) : edits.get(i).oldText();
            String newText = crlf ? toLf(edits.get(i).newText()) : edits.get(i).newText();
            List<Integer> at = occurrences(text, oldText);
            String which = edits.size() == 1 ? "old_text" : "old_text of edit " + (i + 1) + " of " + edits.size();
            if (at.isEmpty()) {
                return failure(request, notFound(which, text, oldText));
            }
            if (at.size() > 1 && !request.replaceAll()) {
                return failure(request, ambiguous(which, text, at));
            }
            text = request.replaceAll()
                    ? text.replace(oldText, newText)
                    : text.substring(0, at.getFirst()) + newText + text.substring(at.getFirst() + oldText.length());
        }
        String edited = (bom ? BOM : "") + (crlf ? text.replace("\n", "\r\n") : text);
        if (edited.equals(original)) {
            return failure(request, "the edits change nothing (each new_text equals what it replaces).");
        }
        return new EditOutcome.Applied(original, edited);
    }

    private static String notFound(String which, String text, String oldText) {
        return which + " was not found in the file (it must match exactly, including " + "whitespace and indentation). "
                + ClosestLines.describe(text, oldText);
    }

    private static String ambiguous(String which, String text, List<Integer> at) {
        return which + " occurs " + at.size() + " times (at lines "
                + lineNumbers(text, at) + "). Include more of the surrounding lines so that it occurs "
                + "once, or set replace_all to true to change every occurrence.";
    }

    private static EditOutcome failure(EditRequest request, String why) {
        return new EditOutcome.Failed("edit_file changed nothing in " + request.path() + ": " + why);
    }

    private static String toLf(String text) {
        return text.replace("\r\n", "\n");
    }

    private static List<Integer> occurrences(String text, String part) {
        List<Integer> at = new ArrayList<>();
        if (part.isEmpty()) {
            return at;
        }
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            at.add(i);
        }
        return at;
    }

    private static String lineNumbers(String text, List<Integer> offsets) {
        List<String> lines = new ArrayList<>();
        for (int offset : offsets.subList(0, Math.min(offsets.size(), 10))) {
            lines.add(String.valueOf(
                    text.substring(0, offset).chars().filter(c -> c == '\n').count() + 1));
        }
        return String.join(", ", lines) + (offsets.size() > 10 ? ", ..." : "");
    }
}
