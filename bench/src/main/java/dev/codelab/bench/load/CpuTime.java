package dev.codelab.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time of processes from {@code /proc/<pid>/stat} (Linux): user + system time of every thread of a process, in
 * nanoseconds. A server that forks a process per connection (PostgreSQL) is counted as a tree: the server, its
 * live children, and what its children that already exited used ({@code cutime + cstime}), so a backend that ends
 * between two readings is still counted once.
 */
final class CpuTime {

    /** {@code USER_HZ}: the unit of {@code /proc/<pid>/stat}'s times, 100 on every Linux ABI the JDK runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    static final int UTIME = 13;
    static final int CUTIME = 15;

    private CpuTime() {}

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
        return nanos
                + ProcessHandle.of(pid)
                        .map(p -> p.descendants().mapToLong(d -> of(d.pid())).sum())
                        .orElse(0L);
    }

    /**
     * User + system CPU of each live thread of {@code pid} so far, summed by thread name with its digits dropped
     * ({@code GC Thread#0} and {@code GC Thread#1} are {@code GC Thread#}), in nanoseconds: the JVM's own threads
     * (JIT compilers, GC) next to the application's (virtual threads' carriers are {@code ForkJoinPool-#-worker-#}).
     */
    static Map<String, Long> byThread(long pid) {
        Map<String, Long> used = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            tasks.forEach(task -> {
                try {
                    String line = Files.readString(task.resolve("stat"));
                    String name = line.substring(line.indexOf('(') + 1, line.lastIndexOf(')'))
                            .replaceAll("[0-9]+", "#");
                    long[] stat = stat(line);
                    used.merge(name, (stat[UTIME] + stat[UTIME + 1]) * NANOS_PER_TICK, Long::sum);
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            });
        } catch (IOException e) {
            return used;
        }
        return used;
    }

    /** CPU of the JIT compiler threads ({@code C1 CompilerThre}, {@code C2 CompilerThre}) of {@link #byThread}. */
    static long compilers(Map<String, Long> byThread) {
        return byThread.entrySet().stream()
                .filter(e -> e.getKey().contains("CompilerThre"))
                .mapToLong(Map.Entry::getValue)
                .sum();
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
        try {
            return stat(Files.readString(Path.of("/proc", String.valueOf(pid), "stat")));
        } catch (IOException e) {
            return null;
        }
    }

    static long[] stat(String line) {
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
