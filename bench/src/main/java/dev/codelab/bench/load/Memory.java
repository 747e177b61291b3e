package dev.codelab.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's memory: resident set from /proc and the heap in use after a full GC. */
final class Memory {

    private Memory() {}

    /** VmRSS in bytes, or -1 where /proc is not there. */
    static long rss() {
        return procValue("/proc/self/status", "VmRSS:") * 1024;
    }

    /** VmRSS of process {@code pid} in bytes, or -1 where /proc is not there. */
    static long rss(long pid) {
        return procValue("/proc/" + pid + "/status", "VmRSS:") * 1024;
    }

    /** The soft limit of open files, or {@code fallback} where /proc is not there. */
    static long openFilesLimit(long fallback) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    return Long.parseLong(
                            line.substring("Max open files".length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return fallback;
        }
        return fallback;
    }

    /** Heap bytes in use after asking for two full collections and a short pause. */
    static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static String mb(long bytes) {
        return String.format("%.0f MB", bytes / 1048576.0);
    }

    private static long procValue(String file, String key) {
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
