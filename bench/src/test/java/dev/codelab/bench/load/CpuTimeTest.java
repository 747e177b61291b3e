package dev.codelab.bench.load;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How the bench reads processes' CPU time from /proc. */
class CpuTimeTest {

    @Test
    void readsTheTimesAfterACommandNameWithSpacesAndParentheses() {
        // proc(5): pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime
        // cutime cstime ...
        long[] stat =
                CpuTime.stat("4242 (C2 Compiler) (x)) S 1 4242 4242 0 -1 4194560 100 0 0 0 731 129 55 7 20 0 30 0");

        assertThat(stat[CpuTime.UTIME], is(731L));
        assertThat(stat[CpuTime.UTIME + 1], is(129L));
        assertThat(stat[CpuTime.CUTIME], is(55L));
        assertThat(stat[CpuTime.CUTIME + 1], is(7L));
    }

    @Test
    void thisProcessHasUsedCpuAndItsThreadsAreGroupedByNameWithoutDigits() {
        long pid = ProcessHandle.current().pid();
        for (long spin = 0; CpuTime.of(pid) == 0 && spin < 1_000_000_000L; spin++) {
            Thread.onSpinWait();
        }

        assertThat(CpuTime.of(pid), greaterThan(0L));
        assertThat(CpuTime.byThread(pid), hasKey("VM Thread"));
        assertThat(
                CpuTime.byThread(pid).keySet().stream()
                        .filter(name -> name.matches(".*[0-9].*"))
                        .toList(),
                is(List.of()));
    }
}
