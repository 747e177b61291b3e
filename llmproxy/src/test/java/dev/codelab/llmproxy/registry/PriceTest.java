package dev.codelab.llmproxy.registry;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;

import dev.codelab.llmproxy.provider.Usage;
import org.junit.jupiter.api.Test;

/** Cost in US dollars: cached input at the cache prices, the rest of the input at the full one. */
class PriceTest {

    private static final Usage CACHED = new Usage(1_000_000, 100_000, 600_000, 300_000);

    @Test
    void cacheReadsAndWritesArePricedApartFromFreshInput() {
        ModelEntry.Price sonnet = ModelEntry.Price.of(3.0, 15.0, 0.3, 3.75);

        // 100k fresh input at 3.0, 600k reads at 0.3, 300k writes at 3.75, 100k output at 15.0
        assertThat(sonnet.cost(CACHED), closeTo(0.3 + 0.18 + 1.125 + 1.5, 1e-9));
    }

    @Test
    void cachePricesDefaultToTheInputPrice() {
        ModelEntry.Price plain = ModelEntry.Price.of(2.0, 8.0, null, null);

        assertThat(plain.cost(CACHED), closeTo(2.0 + 0.8, 1e-9));
    }
}
