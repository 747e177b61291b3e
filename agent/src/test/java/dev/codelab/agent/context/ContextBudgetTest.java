package dev.codelab.agent.context;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ContextBudgetTest {

    @Test
    void theBudgetReservesTheAnswerAndHonoursTheCap() {
        ContextBudget gpt4o = ContextBudget.of(new ModelWindow("gpt-4o", 128_000, 16_384), OptionalInt.empty(), 0.75);
        ContextBudget capped =
                ContextBudget.of(new ModelWindow("gpt-4o", 128_000, 16_384), OptionalInt.of(20_000), 0.75);
        ContextBudget claude = ContextBudget.of(new ModelWindow("claude", 200_000, 64_000), OptionalInt.empty(), 0.5);

        assertThat(gpt4o, is(new ContextBudget(128_000, 111_616, 96_000, 32_000, 4_096)));
        assertThat(capped, is(new ContextBudget(20_000, 15_000, 15_000, 5_000, 2_000)));
        assertThat(claude, is(new ContextBudget(200_000, 150_000, 100_000, 50_000, 4_096)));
    }

    @Test
    void theCalibrationRatioIsBounded() {
        assertThat(TokenEstimate.ratio(1200, 1000), is(1.2));
        assertThat(TokenEstimate.ratio(11, 1000), is(TokenEstimate.MIN_RATIO));
        assertThat(TokenEstimate.ratio(9000, 1000), is(TokenEstimate.MAX_RATIO));
    }
}
