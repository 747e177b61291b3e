package dev.codelab.bench.load;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

/** The idle-socket rows: a target stated for 10 000 sockets is not judged on fewer. */
class IdleSocketsTest {

    @Test
    void aQuickRunsThousandSocketsAreNotMeasuredAgainstTheTargetsForTenThousand() {
        IdleSockets.Held quick = new IdleSockets.Held(1_000, 10, 1_000, 2.0, 1_000);

        assertThat(quick.count("s").verdict(), is("NOT MEASURED at 10000"));
        assertThat(quick.against("s", "RSS", "192 MB", "≤ 300 MB", true).verdict(), is("NOT MEASURED at 10000"));
    }

    @Test
    void tenThousandSocketsAreJudged() {
        IdleSockets.Held full = new IdleSockets.Held(10_000, 60, 10_000, 30.0, 9_990);

        assertThat(full.count("s").verdict(), is("MISSED"));
        assertThat(full.against("s", "RSS", "706 MB", "≤ 300 MB", false).verdict(), is("MISSED"));
        assertThat(full.against("s", "RSS", "290 MB", "≤ 300 MB", true).verdict(), is("MET"));
    }
}
