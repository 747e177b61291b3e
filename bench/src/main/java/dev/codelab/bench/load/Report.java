package dev.codelab.bench.load;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Collects the results, prints progress and the final table, and writes them into a markdown file. */
final class Report {

    static final String BEGIN = "<!-- bench:results -->";
    static final String END = "<!-- /bench:results -->";

    private final PrintStream progress;
    private final List<Result> results = new ArrayList<>();

    Report(PrintStream progress) {
        this.progress = progress;
    }

    void progress(String format, Object... args) {
        progress.println("bench: " + String.format(format, args));
    }

    void add(List<Result> more) {
        results.addAll(more);
    }

    void failed(String scenario, Exception e) {
        results.add(new Result(
                scenario, "scenario failed", e.getClass().getSimpleName() + ": " + e.getMessage(), "-", "FAILED"));
    }

    /** The results as a markdown table, preceded by the machine and the command. */
    String markdown(String command) {
        StringBuilder md = new StringBuilder();
        md.append("Run ")
                .append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .append(" with `")
                .append(command)
                .append("` on ")
                .append(machine())
                .append(".\n\n");
        md.append("| scenario | what | measured | target | verdict |\n|---|---|---|---|---|\n");
        for (Result r : results) {
            md.append("| ")
                    .append(r.scenario())
                    .append(" | ")
                    .append(r.metric())
                    .append(" | ")
                    .append(r.measured())
                    .append(" | ")
                    .append(r.target())
                    .append(" | ")
                    .append(r.verdict())
                    .append(" |\n");
        }
        return md.toString();
    }

    /** Replaces the part between the result markers of {@code file}, or writes the file when it has none. */
    void writeInto(Path file, String command) throws IOException {
        String section = BEGIN + "\n" + markdown(command) + END;
        String existing = Files.exists(file) ? Files.readString(file) : "";
        int begin = existing.indexOf(BEGIN);
        int end = existing.indexOf(END);
        String text = begin >= 0 && end > begin
                ? existing.substring(0, begin) + section + existing.substring(end + END.length())
                : existing + (existing.isEmpty() ? "" : "\n") + section + "\n";
        Files.writeString(file, text);
    }

    static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .orElse(cpu);
        } catch (IOException e) {
            // not Linux: the rest still describes the machine
        }
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return String.format(
                "%d cores (%s), Java %s, max heap %s, load average %.2f at the end",
                Runtime.getRuntime().availableProcessors(),
                cpu,
                Runtime.version(),
                Memory.mb(Runtime.getRuntime().maxMemory()),
                load);
    }
}
