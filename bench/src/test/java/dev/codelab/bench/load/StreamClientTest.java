package dev.codelab.bench.load;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

/** How the bench's client counts tokens and frames (no timing involved). */
class StreamClientTest {

    @Test
    void countsEveryStampedTokenOnceInOrder() {
        StreamClient client = new StreamClient(3);
        token(client, 1, "~0@" + System.nanoTime() + ";");
        token(client, 2, "~1@" + System.nanoTime() + ";~2@" + System.nanoTime() + ";");
        frame(client, """
                {"type":"done","reason":"completed","seq":3}""");

        assertThat(client.received(), is(3));
        assertThat(client.missing(), is(0));
        assertThat(client.lost + client.duplicated + client.reordered, is(0L));
        assertThat(client.done().getCount(), is(0L));
    }

    @Test
    void countsMissingDuplicatedAndOutOfOrderTokensAndFrames() {
        StreamClient client = new StreamClient(5);
        token(client, 1, "~0@1;");
        token(client, 3, "~2@1;");
        token(client, 3, "~2@1;");
        token(client, 2, "~1@1;");

        assertThat(client.lost, is(2L));
        assertThat(client.duplicated, is(3L));
        assertThat(client.reordered, is(1L));
        assertThat(client.missing(), is(2));
    }

    @Test
    void aSocketThatBreaksBeforeDoneIsAnError() {
        StreamClient broken = new StreamClient(1);
        broken.ended(true);
        StreamClient finished = new StreamClient(1);
        frame(finished, """
                {"type":"done","reason":"completed","seq":1}""");
        finished.ended(true);

        assertThat(broken.errors, is(1L));
        assertThat(broken.done().getCount(), is(0L));
        assertThat(finished.errors, is(0L));
    }

    @Test
    void ignoresTheWholeTextOnTheFinalFrame() {
        StreamClient client = new StreamClient(1);
        frame(client, """
                        {"type":"assistant_message","token":"~0@1;","is_final":true,"content":"~0@1;","seq":1}""");

        assertThat(client.received(), is(1));
        assertThat(client.duplicated, is(0L));
    }

    private static void token(StreamClient client, long seq, String token) {
        frame(
                client,
                "{\"type\":\"assistant_message\",\"token\":\"" + token + "\",\"is_final\":false,\"seq\":" + seq + "}");
    }

    private static void frame(StreamClient client, String json) {
        client.onText(json, System.nanoTime());
    }
}
