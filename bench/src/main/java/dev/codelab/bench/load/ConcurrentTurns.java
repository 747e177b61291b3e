package dev.codelab.bench.load;

import dev.codelab.shared.db.PoolUsage;
import java.util.List;

/**
 * Scenario 8 (docs/benchmarks.md, "concurrent turns"): 1 000 concurrent streaming turns on the one agent replica
 * of the stack, which keeps its default database pool. Each turn is a fresh WebSocket session whose model answer
 * streams slowly (a few tokens per second), so that all of them are streaming at the same moment; the offered
 * token rate stays below what the 2 cores deliver, because what is measured is whether a turn waiting for its
 * tokens costs a database connection, not throughput.
 */
final class ConcurrentTurns {

    static final String NAME = "concurrent-turns";
    private static final int TURNS = 1000;
    private static final int RATE = 2;

    private ConcurrentTurns() {}

    static List<Result> run(BenchStack bench, String access, boolean quick, Report log) throws Exception {
        int tokens = quick ? 20 : 40;
        bench.resetAgentPool();
        TokenStreams.Level level = TokenStreams.run(bench.webSocketUrl(""), access, TURNS, RATE, tokens);
        PoolUsage pool = bench.agentPool();
        log.progress(
                "%s: %d turns, %d streaming at the peak, errors %d, lost %d, misplaced %d; pool peak %d of %d, "
                        + "wait mean %s max %s, %d borrows, %d timeouts",
                NAME,
                TURNS,
                level.peakStreaming(),
                level.errors(),
                level.lost(),
                level.misplaced(),
                pool.peakInUse(),
                pool.size(),
                Stats.ms(pool.meanWait().toNanos()),
                Stats.ms(pool.maxWait().toNanos()),
                pool.borrows(),
                pool.timeouts());
        String turns = TURNS + " turns × " + tokens + " tokens at " + RATE + "/s";
        String how = " (" + turns + ", agent pool " + pool.size() + ")";
        return List.of(
                Result.info(NAME, "turns streaming at the same moment" + how, level.peakStreaming() + " of " + TURNS),
                Result.against(
                        NAME, "refused or failed turns", String.valueOf(level.errors()), "0", level.errors() == 0),
                Result.against(
                        NAME,
                        "lost + duplicated/reordered tokens",
                        level.lost() + " + " + level.misplaced(),
                        "0",
                        level.lost() + level.misplaced() == 0),
                Result.info(NAME, "agent DB pool: peak connections in use", pool.peakInUse() + " of " + pool.size()),
                Result.info(
                        NAME,
                        "agent DB pool: wait for a connection, mean / max (" + pool.borrows() + " borrows)",
                        Stats.ms(pool.meanWait().toNanos()) + " / "
                                + Stats.ms(pool.maxWait().toNanos())),
                Result.info(NAME, "agent DB pool: borrowers that timed out", String.valueOf(pool.timeouts())),
                Result.info(NAME, "tokens delivered per second over the run", Stats.fmt(level.tokensPerSecond())));
    }
}
