package dev.codelab.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of processes from {@code /proc/<pid>/stat} (Linux): user + system time of every thread of a process, in
 * nanoseconds. A server that forks a process per connection (PostgreSQL) is counted as a tree: the server, its
 * live children, and what its children that already exited used ({@code cutime + cstime}), so a backend that ends
 * between two readings is still counted once.
 */
final class CpuTime {

    /** {@code USER_HZ}: the unit of {@code /proc/<pid>/stat}'s times, 100 on every Linux ABI the JDK runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;
    private static final int UTIME = 13;
    private static final int CUTIME = 15;

    private CpuTime() {
    }

    /** User + system CPU of {@code pid} (all its threads), in nanoseconds; 0 when it is gone. */
    static long of(long pid) {
        long[] stat = stat(pid);
        return stat == null ? 0 : (stat[UTIME] + stat[UTIME + 1]) * NANOS_PER_TICK;
    }

    /** {@link #of} the process, plus its live descendants, plus what its reaped children used. */
    static long ofTree(long pid) {
        long[] stat = stat(pid);
        if (stat == null) {
            return 0;
        }
        long ticks = stat[UTIME] + stat[UTIME + 1] + stat[CUTIME] + stat[CUTIME + 1];
        long nanos = ticks * NANOS_PER_TICK;
        return nanos + ProcessHandle.of(pid).map(p -> p.descendants().mapToLong(d -> of(d.pid())).sum()).orElse(0L);
    }

    /** The 1-minute load average ({@code /proc/loadavg}), or -1 where there is none. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * The numeric fields of {@code /proc/<pid>/stat}, indexed from 0 as {@code proc(5)} numbers them from 1 (the
     * command name, in parentheses and possibly with spaces, is skipped); {@code null} when the process is gone.
     */
    private static long[] stat(long pid) {
        String line;
        try {
            line = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        } catch (IOException e) {
            return null;
        }
        String[] rest = line.substring(line.lastIndexOf(')') + 2).split(" ");
        long[] fields = new long[rest.length + 2];
        for (int i = 1; i < rest.length; i++) {
            try {
                fields[i + 2] = Long.parseLong(rest[i].trim());
            } catch (NumberFormatException e) {
                fields[i + 2] = 0;
            }
        }
        return fields;
    }
}
