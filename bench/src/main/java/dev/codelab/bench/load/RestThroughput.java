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
        HttpRequest health = get(bench.gatewayUrl() + "/health").build();
        HttpRequest agents = get(bench.gatewayUrl() + "/api/v1/agents")
                .header("Authorization", "Bearer " + access)
                .build();
        LoadLoop.run(bench, CONCURRENCY, 1, 200, () -> health);
        LoadLoop.run(bench, CONCURRENCY, 1, 200, () -> agents);
        Rounds measured = new Rounds(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        long failures = 0;
        for (int round = 0; round < rounds; round++) {
            LoadLoop.Outcome h = LoadLoop.run(bench, CONCURRENCY, seconds, 200, () -> health);
            LoadLoop.Outcome a = LoadLoop.run(bench, CONCURRENCY, seconds, 200, () -> agents);
            failures += h.other() + a.other();
            measured.add(h.rate(), a.rate());
            log.progress(
                    "%s round %d: /health %.0f req/s, /api/v1/agents %.0f req/s (%d failed)",
                    NAME, round + 1, h.rate(), a.rate(), h.other() + a.other());
        }
        return results(rounds, measured, failures);
    }

    /** The request rates of each round, and the authenticated rate as a share of the health rate. */
    private record Rounds(List<Double> healthRates, List<Double> agentRates, List<Double> ratios) {

        void add(double healthRate, double agentRate) {
            healthRates.add(healthRate);
            agentRates.add(agentRate);
            ratios.add(agentRate / healthRate);
        }
    }

    private static List<Result> results(int rounds, Rounds measured, long failures) {
        double ratio = Stats.median(measured.ratios());
        String how = " (median of " + rounds + " alternating rounds, " + CONCURRENCY + " connections)";
        return List.of(
                Result.info(NAME, "GET /health" + how, Stats.fmt(Stats.median(measured.healthRates())) + " req/s"),
                Result.info(
                        NAME,
                        "GET /api/v1/agents with JWT" + how,
                        Stats.fmt(Stats.median(measured.agentRates())) + " req/s"),
                Result.against(
                        NAME,
                        "authenticated / health throughput",
                        String.format("%.0f %%", ratio * 100),
                        "≥ 50 %",
                        ratio >= 0.5),
                Result.against(NAME, "non-200 answers", String.valueOf(failures), "0", failures == 0));
    }

    private static HttpRequest.Builder get(String url) {
        return HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .GET();
    }
}
