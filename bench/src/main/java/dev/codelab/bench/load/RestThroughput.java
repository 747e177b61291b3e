package dev.codelab.bench.load;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 4: {@code GET /api/v1/agents} with a JWT (JWT check, REST rate limit in Redis, the agent runtime
 * behind) against the same gateway server's unauthenticated {@code GET /health}, in alternating rounds.
 */
final class RestThroughput {

    static final String NAME = "rest-vs-health";
    private static final int CONCURRENCY = 32;

    private RestThroughput() {}

    static List<Result> run(BenchStack bench, String access, boolean quick, Report log) throws Exception {
        int rounds = quick ? 3 : 5;
        double seconds = quick ? 2 : 5;
        HttpRequest health = HttpRequest.newBuilder(URI.create(bench.gatewayUrl() + "/health"))
                .timeout(Duration.ofSeconds(30))
                .GET()
                .build();
        HttpRequest agents = HttpRequest.newBuilder(URI.create(bench.gatewayUrl() + "/api/v1/agents"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + access)
                .GET()
                .build();
        LoadLoop.run(bench, CONCURRENCY, 1, 200, () -> health);
        LoadLoop.run(bench, CONCURRENCY, 1, 200, () -> agents);
        List<Double> healthRates = new ArrayList<>();
        List<Double> agentRates = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        long failures = 0;
        for (int round = 0; round < rounds; round++) {
            LoadLoop.Outcome h = LoadLoop.run(bench, CONCURRENCY, seconds, 200, () -> health);
            LoadLoop.Outcome a = LoadLoop.run(bench, CONCURRENCY, seconds, 200, () -> agents);
            failures += h.other() + a.other();
            healthRates.add(h.rate());
            agentRates.add(a.rate());
            ratios.add(a.rate() / h.rate());
            log.progress(
                    "%s round %d: /health %.0f req/s, /api/v1/agents %.0f req/s (%d failed)",
                    NAME, round + 1, h.rate(), a.rate(), h.other() + a.other());
        }
        double ratio = Stats.median(ratios);
        String how = " (median of " + rounds + " alternating rounds, " + CONCURRENCY + " connections)";
        return List.of(
                Result.info(NAME, "GET /health" + how, Stats.fmt(Stats.median(healthRates)) + " req/s"),
                Result.info(NAME, "GET /api/v1/agents with JWT" + how, Stats.fmt(Stats.median(agentRates)) + " req/s"),
                Result.against(
                        NAME,
                        "authenticated / health throughput",
                        String.format("%.0f %%", ratio * 100),
                        "≥ 50 %",
                        ratio >= 0.5),
                Result.against(NAME, "non-200 answers", String.valueOf(failures), "0", failures == 0));
    }
}
