package dev.codelab.gateway.ws;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RedisBatchesTest {

    @Test
    void everyItemIsInOneBatchInOrderAndNoBatchIsLargerThanTheSize() {
        List<Integer> items =
                IntStream.range(0, RedisBatches.SIZE * 2 + 7).boxed().toList();

        List<List<Integer>> batches = RedisBatches.of(items);

        assertThat(batches.stream().map(List::size).toList(), contains(RedisBatches.SIZE, RedisBatches.SIZE, 7));
        assertThat(batches.stream().flatMap(List::stream).toList(), contains(items.toArray()));
    }

    @Test
    void nothingGivesNoBatch() {
        assertThat(RedisBatches.of(List.of()), empty());
    }
}
