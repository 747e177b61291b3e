package dev.codelab.agent.edit;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class UnifiedDiffTest {

    @Test
    void oneChangedLineOfA2000LineFileIsAFewLinesOfDiff() {
        String before =
                IntStream.rangeClosed(1, 2000).mapToObj(i -> "line " + i).collect(Collectors.joining("\n", "", "\n"));
        String after = before.replace("line 1000\n", "line one thousand\n");

        assertThat(UnifiedDiff.of("big.txt", before, after), is("""
                --- a/big.txt
                +++ b/big.txt
                @@ -997,7 +997,7 @@
                 line 997
                 line 998
                 line 999
                -line 1000
                +line one thousand
                 line 1001
                 line 1002
                 line 1003
                """));
    }

    @Test
    void lineEndingsAloneMakeNoDiff() {
        assertThat(UnifiedDiff.of("f", "a\r\nb\r\n", "a\nb\n"), is(""));
    }
}
