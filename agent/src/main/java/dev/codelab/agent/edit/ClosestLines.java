package dev.codelab.agent.edit;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds the lines of a file most like an {@code old_text} that was not found, so that the model can copy the real
 * text in its retry: every window of as many lines as {@code old_text} has is scored by the mean similarity of its
 * lines (Dice coefficient of character pairs, ignoring leading and trailing spaces) with the lines of {@code old_text}.
 */
final class ClosestLines {

    /** Windows scoring below this resemble {@code old_text} too little to be worth showing. */
    private static final double MIN_SIMILARITY = 0.3;
    /** Lines of {@code old_text} that are scored and shown, at most. */
    private static final int MAX_LINES = 20;

    private ClosestLines() {}

    static String describe(String text, String oldText) {
        List<String> fileLines = text.lines().toList();
        List<String> wanted = oldText.strip().lines().limit(MAX_LINES).toList();
        if (fileLines.isEmpty() || wanted.isEmpty()) {
            return "The file is empty or old_text is blank; read_file it to see its content.";
        }
        Window best = mostSimilarWindow(fileLines, wanted);
        if (best.score() / best.size() < MIN_SIMILARITY) {
            return "Nothing in the file resembles it; read_file the file to see its current content.";
        }
        StringBuilder shown = new StringBuilder(
                "The most similar lines (" + (best.start() + 1) + "-" + (best.start() + best.size()) + ") are:\n");
        for (int line = best.start(); line < best.start() + best.size(); line++) {
            shown.append(line + 1).append(": ").append(fileLines.get(line)).append('\n');
        }
        return shown.append("Copy old_text exactly from the file (without the line numbers) and try again.")
                .toString();
    }

    /** A run of {@code size} file lines from {@code start} and its summed similarity to the wanted lines. */
    private record Window(int start, int size, double score) {}

    /** The first window of file lines as long as {@code wanted} (or the file) that resembles it most. */
    private static Window mostSimilarWindow(List<String> fileLines, List<String> wanted) {
        List<Set<String>> filePairs =
                fileLines.stream().map(ClosestLines::pairs).toList();
        List<Set<String>> wantedPairs = wanted.stream().map(ClosestLines::pairs).toList();
        int size = Math.min(wanted.size(), fileLines.size());
        Window best = new Window(0, size, -1);
        for (int start = 0; start + size <= fileLines.size(); start++) {
            double score = 0;
            for (int j = 0; j < size; j++) {
                score += dice(filePairs.get(start + j), wantedPairs.get(j));
            }
            if (score > best.score()) {
                best = new Window(start, size, score);
            }
        }
        return best;
    }

    private static Set<String> pairs(String line) {
        String text = line.strip();
        Set<String> pairs = new HashSet<>();
        for (int i = 0; i + 2 <= text.length(); i++) {
            pairs.add(text.substring(i, i + 2));
        }
        if (text.length() == 1) {
            pairs.add(text);
        }
        return pairs;
    }

    private static double dice(Set<String> a, Set<String> b) {
        if (a.isEmpty() && b.isEmpty()) {
            return 1;
        }
        int common = 0;
        for (String pair : a) {
            if (b.contains(pair)) {
                common++;
            }
        }
        return 2.0 * common / (a.size() + b.size());
    }
}
