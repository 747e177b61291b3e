package dev.codelab.bench.load;

import java.util.concurrent.locks.LockSupport;

/** Waiting for a moment on the {@link System#nanoTime()} clock, for paced (open-loop) load. */
final class Pace {

    private Pace() {}

    static void until(long dueNanos) {
        long wait;
        while ((wait = dueNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
