package dev.codelab.shared.hop;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Reading a whole body, with and without its announced length, whatever sizes the reads return. */
class TimedBodyTest {

    @Test
    void aBodyOfItsAnnouncedLengthIsReadWhole() throws Exception {
        byte[] body = bytes(3000);
        assertThat(Arrays.equals(read(body, 3000), body), is(true));
        assertThat(read(new byte[0], 0).length, is(0));
    }

    @Test
    void aBodyWithoutAnAnnouncedLengthIsReadWholeAtAnySize() throws Exception {
        for (int size : new int[] {0, 1, 1023, 1024, 1025, 5000, 70_000}) {
            byte[] body = bytes(size);
            assertThat("size " + size, Arrays.equals(read(body, -1), body), is(true));
        }
    }

    @Test
    void aBodyLongerOrShorterThanAnnouncedIsStillReadAsItCame() throws Exception {
        byte[] body = bytes(2000);
        assertThat(Arrays.equals(read(body, 1500), body), is(true));
        assertThat(Arrays.equals(read(body, 2500), body), is(true));
        assertThat(Arrays.equals(read(body, 10L << 20), body), is(true));
    }

    /** Reads {@code body} through a stream that returns at most 7 bytes a read, as a network may. */
    private static byte[] read(byte[] body, long announced) throws HopException {
        InputStream trickle = new ByteArrayInputStream(body) {
            @Override
            public synchronized int read(byte[] buffer, int offset, int length) {
                return super.read(buffer, offset, Math.min(length, 7));
            }
        };
        TimedBody timed = new TimedBody(trickle, Duration.ofSeconds(5), "test");
        try {
            return timed.readAll(announced);
        } finally {
            timed.close();
        }
    }

    private static byte[] bytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
