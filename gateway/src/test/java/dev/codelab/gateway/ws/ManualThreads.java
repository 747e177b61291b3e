package dev.codelab.gateway.ws;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A {@link ThreadStarter} that keeps each task, to be run on the test's thread when the test says so. */
final class ManualThreads implements ThreadStarter {

    private final Deque<Runnable> pending = new ArrayDeque<>();
    private final List<String> started = new ArrayList<>();

    @Override
    public synchronized void start(String name, Runnable task) {
        started.add(name);
        pending.addLast(task);
    }

    /** The names of every thread started so far, in order. */
    synchronized List<String> started() {
        return List.copyOf(started);
    }

    synchronized int pending() {
        return pending.size();
    }

    /** Runs the oldest task not run yet, to its end. */
    void runNext() {
        Runnable task;
        synchronized (this) {
            task = pending.removeFirst();
        }
        task.run();
    }
}
