package dev.codelab.gateway.ws;

/**
 * Starts the short-lived threads of a socket (its writer, its turn worker, a close or a ping that must not stall the
 * caller). Tests pass one that keeps the tasks and runs them when the test says so.
 */
@FunctionalInterface
interface ThreadStarter {

    /** A virtual thread per task. */
    ThreadStarter VIRTUAL = (name, task) -> Thread.ofVirtual().name(name).start(task);

    void start(String name, Runnable task);
}
