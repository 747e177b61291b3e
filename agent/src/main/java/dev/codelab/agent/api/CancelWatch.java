package dev.codelab.agent.api;

import java.time.Duration;
import java.util.Set;
import java.util.function.Function;

/**
 * Polls the database for cancel requests of the turns this process runs, so a {@code cancel} that reached another
 * replica still stops its turn. One statement per interval covers every running turn; it borrows a pool
 * connection only for itself.
 */
final class CancelWatch implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CancelWatch.class.getName());

    private final Periodic poll;

    /**
     * @param cancelRequested which of the given sessions have an open turn whose cancel was requested
     */
    CancelWatch(Function<Set<String>, Set<String>> cancelRequested, RunningTurns running, Duration interval) {
        this.poll = new Periodic(
                "cancel-watch",
                interval,
                () -> {
                    Set<String> sessions = running.sessionIds();
                    if (!sessions.isEmpty()) {
                        cancelRequested.apply(sessions).forEach(running::cancel);
                    }
                },
                LOG,
                "Cannot watch for cancel requests");
    }

    @Override
    public void close() {
        poll.close();
    }
}
