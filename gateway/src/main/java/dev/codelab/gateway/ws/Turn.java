package dev.codelab.gateway.ws;

import dev.codelab.gateway.agent.AgentStream;

/**
 * One running exchange with the agent. Cancelling or timing out closes its stream, which closes the socket and
 * wakes the reading thread at once.
 */
final class Turn {

    private volatile AgentStream stream;
    private volatile boolean cancelled;
    private volatile boolean timedOut;
    private volatile boolean finished;
    private volatile boolean doneEmitted;
    private volatile long lastActivityNanos = System.nanoTime();

    /** Hands the turn its agent stream; closes it at once when the turn was cancelled meanwhile. */
    void attach(AgentStream agentStream) {
        this.stream = agentStream;
        if (cancelled || timedOut) {
            agentStream.close();
        }
    }

    void cancel() {
        cancelled = true;
        closeStream();
    }

    void timeOut() {
        timedOut = true;
        closeStream();
    }

    void touch() {
        lastActivityNanos = System.nanoTime();
    }

    long silentNanos() {
        return System.nanoTime() - lastActivityNanos;
    }

    void finish() {
        finished = true;
    }

    boolean isFinished() {
        return finished;
    }

    /** The turn's {@code done} went to the client, which may now send its next frame. */
    void markDoneEmitted() {
        doneEmitted = true;
    }

    boolean isDoneEmitted() {
        return doneEmitted;
    }

    boolean isCancelled() {
        return cancelled;
    }

    boolean isTimedOut() {
        return timedOut;
    }

    private void closeStream() {
        AgentStream current = stream;
        if (current != null) {
            current.close();
        }
    }
}
