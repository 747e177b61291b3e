package dev.codelab.llmproxy.provider;

import java.time.Duration;

/**
 * Watches one provider stream: it may close the stream when the first token or the next chunk is late, and it is
 * told of every line that arrives.
 */
public interface UpstreamGuard {

    /** A guard that never intervenes (non-streaming calls rely on the request timeout). */
    UpstreamGuard NONE = new UpstreamGuard() {
        @Override
        public void watch(AutoCloseable body, Duration firstTokenTimeout) {}

        @Override
        public void activity() {}

        @Override
        public boolean timedOut() {
            return false;
        }

        @Override
        public void release() {}
    };

    /** Starts watching an open provider body; {@code firstTokenTimeout} counts from the moment the request was sent. */
    void watch(AutoCloseable body, Duration firstTokenTimeout);

    /** A line arrived from the provider. */
    void activity();

    /** Whether this guard closed the body because the provider was too slow. */
    boolean timedOut();

    /** The provider stream ended, one way or another. */
    void release();
}
