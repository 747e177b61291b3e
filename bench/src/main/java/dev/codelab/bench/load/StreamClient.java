package dev.codelab.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.http.Json;
import java.util.concurrent.CountDownLatch;

/**
 * One bench WebSocket client: reads the stamps {@code ~<index>@<nanoTime>;} out of {@code assistant_message}
 * tokens and records each token's latency on arrival, and counts tokens and frames that went missing, came
 * twice or came out of order (by the stamp index and by the frame's {@code seq}).
 */
final class StreamClient {

    private final CountDownLatch done = new CountDownLatch(1);
    private final long[] latencies;
    /** Written by the socket's reader only; volatile so that a probe can count tokens while the stream runs. */
    private volatile int received;

    private int nextIndex;
    private long lastSeq = -1;
    long lost;
    long duplicated;
    long reordered;
    long errors;
    long firstArrival;
    long lastArrival;

    StreamClient(int expectedTokens) {
        this.latencies = new long[expectedTokens];
    }

    /** One whole server message and the time it arrived. */
    void onText(String text, long arrival) {
        try {
            frame(Json.read(text), arrival);
        } catch (Exception e) {
            errors++;
        }
    }

    private void frame(JsonNode frame, long arrival) {
        long seq = frame.path("seq").asLong(-1);
        if (seq >= 0 && lastSeq >= 0) {
            if (seq > lastSeq + 1) {
                lost += seq - lastSeq - 1;
            } else if (seq == lastSeq) {
                duplicated++;
            } else if (seq < lastSeq) {
                reordered++;
            }
        }
        lastSeq = Math.max(lastSeq, seq);
        switch (frame.path("type").asText()) {
            case "assistant_message" -> onTokens(frame.path("token").asText(""), arrival);
            case "error" -> errors++;
            case "done" -> done.countDown();
            default -> {}
        }
    }

    /** Text carrying stamps (a token, or an upstream chunk read directly) and the time it arrived. */
    void onTokens(String text, long arrival) {
        int at = text.indexOf('~');
        while (at >= 0) {
            int sep = text.indexOf('@', at);
            int end = text.indexOf(';', sep);
            if (sep < 0 || end < 0) {
                return;
            }
            int index = Integer.parseInt(text, at + 1, sep, 10);
            long sent = Long.parseLong(text, sep + 1, end, 10);
            if (index == nextIndex) {
                nextIndex++;
            } else if (index > nextIndex) {
                lost += index - nextIndex;
                nextIndex = index + 1;
            } else {
                duplicated++;
            }
            if (received < latencies.length) {
                latencies[received++] = arrival - sent;
            }
            if (firstArrival == 0) {
                firstArrival = arrival;
            }
            lastArrival = arrival;
            at = text.indexOf('~', end);
        }
    }

    /** The socket ended; {@code broken} when it failed before the turn's {@code done}. */
    void ended(boolean broken) {
        if (broken && done.getCount() > 0) {
            errors++;
        }
        done.countDown();
    }

    CountDownLatch done() {
        return done;
    }

    int expected() {
        return latencies.length;
    }

    int received() {
        return received;
    }

    /** Tokens that never arrived by the end of the turn. */
    int missing() {
        return latencies.length - nextIndex;
    }

    long[] latencies() {
        return java.util.Arrays.copyOf(latencies, received);
    }
}
