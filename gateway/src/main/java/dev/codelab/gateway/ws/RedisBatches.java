package dev.codelab.gateway.ws;

import java.util.ArrayList;
import java.util.List;

/**
 * How work on many sessions' Redis keys is cut up: pipelined batches of {@link #SIZE}, so that a pass over thousands
 * of sockets takes a few round trips, and no single pipeline keeps Redis from answering the streams for long.
 */
final class RedisBatches {

    static final int SIZE = 500;

    private RedisBatches() {}

    /** {@code items} in consecutive views of at most {@link #SIZE}. */
    static <T> List<List<T>> of(List<T> items) {
        List<List<T>> batches = new ArrayList<>();
        for (int from = 0; from < items.size(); from += SIZE) {
            batches.add(items.subList(from, Math.min(items.size(), from + SIZE)));
        }
        return batches;
    }
}
