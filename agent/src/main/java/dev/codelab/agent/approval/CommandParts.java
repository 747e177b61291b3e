package dev.codelab.agent.approval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a shell command line into the commands it chains ({@code &&}, {@code ||}, {@code ;}, {@code |},
 * {@code &}, newlines, {@code $(...)} and backticks), so each part is judged on its own.
 */
final class CommandParts {

    private CommandParts() {}

    static List<String> split(String command) {
        String normalized = command.replace("$(", "\n").replace("`", "\n").replace(")", " ");
        List<String> parts = new ArrayList<>();
        for (String part : normalized.split("&&|\\|\\||;|\\||&|\\n")) {
            if (!part.isBlank()) {
                parts.add(part.strip());
            }
        }
        return parts;
    }

    static List<String> words(String command) {
        String stripped = command.strip();
        return stripped.isEmpty() ? List.of() : Arrays.asList(stripped.split("\\s+"));
    }
}
