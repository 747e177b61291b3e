package dev.codelab.bench.load;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    @Test
    void replacesOnlyTheResultSectionOfAnExistingFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("benchmarks.md");
        Files.writeString(file, "# Title\n\n" + Report.BEGIN + "\nold table\n" + Report.END + "\n\nprose after\n");
        Report report = new Report(System.err);
        report.add(List.of(Result.against("s", "m", "1 ms", "≤ 2 ms", true)));

        report.writeInto(file, "./codelab bench --quick");

        String text = Files.readString(file);
        assertThat(text, containsString("# Title\n\n" + Report.BEGIN + "\nRun "));
        assertThat(text, containsString("| s | m | 1 ms | ≤ 2 ms | MET |\n" + Report.END + "\n\nprose after\n"));
        assertThat(text, containsString("`./codelab bench --quick`"));
        assertThat(text, not(containsString("old table")));
    }

    @Test
    void writesTheSectionIntoAFileWithoutMarkers(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("new.md");
        new Report(System.err).writeInto(file, "./codelab bench");

        assertThat(Files.readString(file).startsWith(Report.BEGIN + "\nRun "), is(true));
    }
}
