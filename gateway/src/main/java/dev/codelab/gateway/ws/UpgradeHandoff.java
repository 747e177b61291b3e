package dev.codelab.gateway.ws;

import java.util.Optional;

/**
 * Carries the {@link Admission} of one upgrade from the {@link UpgradeFilter} to the listener Helidon creates for
 * that upgrade. Helidon's WebSocket API has no parameter for it: the endpoint's listener supplier takes no argument,
 * {@code WsListener.onHttpUpgrade} gets only the prologue and the request headers, and a filter cannot add to
 * either. Both run on the thread of the filter's {@code chain.proceed()}, so the admission waits in a thread-local
 * for exactly that call and is taken once, by the supplier, which passes it to the socket's constructor.
 */
final class UpgradeHandoff {

    private final ThreadLocal<Admission> pending = new ThreadLocal<>();

    /**
     * Runs {@code upgrade} (the rest of the filter chain, which ends in Helidon creating the listener) with
     * {@code admission} available to {@link #take()}.
     *
     * @return whether a listener took it, i.e. the upgrade went ahead
     */
    boolean handOver(Admission admission, Runnable upgrade) {
        pending.set(admission);
        try {
            upgrade.run();
            return pending.get() == null;
        } finally {
            pending.remove();
        }
    }

    /** The admission of the upgrade running on this thread, once; empty when none was made. */
    Optional<Admission> take() {
        Admission admission = pending.get();
        pending.remove();
        return Optional.ofNullable(admission);
    }
}
