package dev.codelab.agent.edit;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import java.util.List;

/**
 * The unified diff (3 lines of context, {@code a/} and {@code b/} prefixes, as {@code git diff} prints it) that
 * the user sees before approving a change of a file. Lines are compared without their line endings.
 */
public final class UnifiedDiff {

    private static final int CONTEXT_LINES = 3;

    private UnifiedDiff() {}

    /** The diff from {@code before} to {@code after}; empty when their lines are equal. */
    public static String of(String path, String before, String after) {
        List<String> oldLines = before.lines().toList();
        List<String> newLines = after.lines().toList();
        Patch<String> patch = DiffUtils.diff(oldLines, newLines);
        if (patch.getDeltas().isEmpty()) {
            return "";
        }
        List<String> diff =
                UnifiedDiffUtils.generateUnifiedDiff("a/" + path, "b/" + path, oldLines, patch, CONTEXT_LINES);
        return String.join("\n", diff) + "\n";
    }
}
