package dev.codelab.llmproxy.usage;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.llmproxy.testing.FakeUpstream;
import dev.codelab.llmproxy.testing.FakeUpstream.Reply;
import dev.codelab.llmproxy.testing.TestProxy;
import dev.codelab.shared.testing.TestInfra;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.codelab.llmproxy.testing.TestProxy.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/**
 * Metering into the proxy's database: every call's tokens and cost per user, session and agent, daily roll-ups,
 * the budget refusal before any provider call, and a database outage that never breaks a call. Each test owns its
 * proxy and an empty database: the tests count every metered row, take the database away and restart the proxy.
 */
class MeteringTest {

    private static final String TODAY = LocalDate.now(ZoneOffset.UTC).toString();
    private static final String ANTHROPIC_ANSWER = """
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-20250514",
             "content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn",
             "usage":{"input_tokens":100000,"cache_read_input_tokens":600000,"cache_creation_input_tokens":300000,"output_tokens":100000}}""";
    private static final String OPENAI_ANSWER = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,
             "message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":2000000,"completion_tokens":0,"total_tokens":2000000,
              "prompt_tokens_details":{"cached_tokens":1000000,"audio_tokens":0}}}""";
    /** Fresh 100k at $3, reads 600k at $0.30, writes 300k at $3.75, output 100k at $15 (per million). */
    private static final double CLAUDE_CALL_USD = 0.3 + 0.18 + 1.125 + 1.5;

    private final String db = TestInfra.newDatabase();
    private final FakeUpstream upstream = FakeUpstream.start();
    private TestProxy proxy = start(db);

    @AfterEach
    void stop() {
        proxy.close();
        upstream.close();
    }

    private TestProxy start(String database) {
        return TestProxy.start("""
                models:
                  - alias: claude
                    deployments:
                      - {provider: anthropic, model: claude-sonnet-4-20250514, base_url: "%1$s", api_key_env: K}
                    price: {input_per_1m: 3.0, output_per_1m: 15.0, cache_read_per_1m: 0.3, cache_write_per_1m: 3.75}
                  - alias: gpt
                    deployments:
                      - {provider: openai, model: gpt-4o, base_url: "%1$s", api_key_env: K}
                    price: {input_per_1m: 2.5, output_per_1m: 10.0, cache_read_per_1m: 1.25}
                """.formatted(upstream.baseUrl()),
                Map.of("llm-proxy.db-url", database, "llm-proxy.usage-flush-ms", "20"), Map.of("K", "key"));
    }

    @Test
    void eachCallIsMeteredForItsUserSessionAndAgentWithCacheTokensPricedApart() {
        upstream.then(Reply.json(200, ANTHROPIC_ANSWER)).then(Reply.json(200, OPENAI_ANSWER));

        assertThat(call("alice", "s-1", "coder", "claude").statusCode(), is(200));
        assertThat(call("alice", "s-2", "ask", "gpt").statusCode(), is(200));

        JsonNode report = awaitUsage("alice", r -> r.path("totals").path("calls").asLong() == 2);
        double gptUsd = 1.0 * 2.5 + 1.0 * 1.25;
        assertThat(report.path("totals"), is(json("""
                {"calls":2,"prompt_tokens":3000000,"completion_tokens":100000,"cache_read_tokens":1600000,
                 "cache_write_tokens":300000,"total_tokens":3100000,"cost_usd":%s}""".formatted(CLAUDE_CALL_USD + gptUsd))));
        assertThat(report.path("by_model").path(0).path("model").asText(), is("claude"));
        assertThat(report.path("by_model").path(0).path("cost_usd").asDouble(), is(CLAUDE_CALL_USD));
        assertThat(report.path("by_model").path(1).path("model").asText(), is("gpt"));
        assertThat(report.path("by_model").path(1).path("cache_read_tokens").asLong(), is(1_000_000L));
        assertThat(report.path("by_day").size(), is(1));
        assertThat(report.path("by_day").path(0).path("day").asText(), is(TODAY));
        assertThat(report.path("by_session").path(0).path("session_id").asText(), is("s-2"));
        assertThat(report.path("by_session").path(1).path("session_id").asText(), is("s-1"));
        assertThat(sql("SELECT agent || ' ' || outcome || ' ' || deployment FROM usage_calls WHERE session_id = 's-1'"),
                is("coder ok anthropic:claude-sonnet-4-20250514@" + upstream.baseUrl()));
    }

    @Test
    void aCallWithoutUserIsMeteredAsTheServiceAndUsersAreKeptApart() {
        upstream.then(Reply.json(200, ANTHROPIC_ANSWER)).then(Reply.json(200, ANTHROPIC_ANSWER));

        call(null, null, null, "claude");
        call("bob", "s-b", "coder", "claude");

        assertThat(awaitUsage("service", r -> r.path("totals").path("calls").asLong() == 1).path("totals").path("calls").asLong(), is(1L));
        assertThat(awaitUsage("bob", r -> r.path("totals").path("calls").asLong() == 1).path("by_session").path(0).path("session_id").asText(), is("s-b"));
        assertThat(json(proxy.get("/v1/usage?user=alice").body()).path("totals").path("calls").asLong(), is(0L));
    }

    @Test
    void aUserOverTheHardLimitIsRefusedBeforeAnyProviderCall() {
        assertThat(proxy.send(put("/v1/budgets/carol", "{\"daily_usd\":1.0}")).statusCode(), is(200));
        upstream.then(Reply.json(200, ANTHROPIC_ANSWER));
        call("carol", "s-c", "coder", "claude");
        awaitUsage("carol", r -> r.path("totals").path("calls").asLong() == 1);

        HttpResponse<String> refused = call("carol", "s-c", "coder", "claude");

        assertThat(refused.statusCode(), is(429));
        String resets = LocalDate.now(ZoneOffset.UTC).plusDays(1) + "T00:00:00Z";
        assertThat(json(refused.body()), is(json("""
                {"error":{"message":"Your Daily budget of $1.00 ($3.11 spent) is used up; it resets at %s.",
                 "type":"insufficient_quota","param":null,"code":"insufficient_quota"}}""".formatted(resets))));
        assertThat(upstream.requests(), hasSize(1));
        assertThat(json(proxy.get("/v1/budget/status?user=carol").body()), is(json("""
                {"state":"exceeded","limit":"daily_usd","message":"Your Daily budget of $1.00 ($3.11 spent) is used up; it resets at %s.",
                 "resets_at":"%s","first_warning":false}""".formatted(resets, resets))));
        // a service call is never limited, and other users are not affected
        upstream.then(Reply.json(200, ANTHROPIC_ANSWER));
        assertThat(call("dave", null, null, "claude").statusCode(), is(200));
    }

    @Test
    void theDefaultBudgetAppliesToUsersWithoutOneAndTheSoftLimitWarnsOnce() {
        proxy.send(put("/v1/budgets/default", "{\"monthly_tokens\":1000000,\"soft_limit_percent\":50}"));
        upstream.then(Reply.json(200, OPENAI_ANSWER.replace("2000000", "600000").replace("1000000", "0")));
        call("erin", null, null, "gpt");
        awaitUsage("erin", r -> r.path("totals").path("calls").asLong() == 1);

        JsonNode first = json(proxy.get("/v1/budget/status?user=erin").body());
        JsonNode second = json(proxy.get("/v1/budget/status?user=erin").body());

        assertThat(first.path("state").asText(), is("warning"));
        assertThat(first.path("limit").asText(), is("monthly_tokens"));
        assertThat(first.path("message").asText(), is("You have used 60% of your Monthly token limit of 1000000 tokens (600000 used); it resets at "
                + LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).plusMonths(1) + "T00:00:00Z."));
        assertThat(first.path("first_warning").asBoolean(), is(true));
        assertThat(second.path("first_warning").asBoolean(), is(false));
        assertThat(json(proxy.get("/v1/budgets/erin").body()), is(json("""
                {"user_id":"erin","daily_usd":null,"monthly_usd":null,"daily_tokens":null,"monthly_tokens":1000000,
                 "soft_limit_percent":50,"source":"default"}""")));
    }

    @Test
    void aDatabaseOutageNeverBreaksACallAndTheRecordIsStoredWhenItIsBack() {
        sql("ALTER TABLE usage_calls RENAME TO usage_calls_away");
        upstream.then(Reply.json(200, ANTHROPIC_ANSWER));

        assertThat(call("frank", "s-f", "coder", "claude").statusCode(), is(200));

        sql("ALTER TABLE usage_calls_away RENAME TO usage_calls");
        assertThat(awaitUsage("frank", r -> r.path("totals").path("calls").asLong() == 1).path("totals").path("cost_usd").asDouble(),
                is(CLAUDE_CALL_USD));
    }

    @Test
    void rawCallsOlderThanTheRetentionAreDeletedAndTheRollUpsStay() {
        sql("INSERT INTO usage_calls (at, user_id, model, deployment, prompt_tokens, completion_tokens, cache_read_tokens, "
                + "cache_write_tokens, cost_usd, latency_ms, outcome) VALUES (now() - interval '40 days', 'gina', 'gpt', '-', 1, 1, 0, 0, 1, 1, 'ok')");
        sql("INSERT INTO usage_daily VALUES ('gina', current_date - 40, 'gpt', 1, 1, 1, 0, 0, 1)");

        proxy.close();
        proxy = start(db);

        awaitSql("SELECT COUNT(*)::text FROM usage_calls WHERE user_id = 'gina'", "0");
        assertThat(sql("SELECT COUNT(*)::text FROM usage_daily WHERE user_id = 'gina'"), is("1"));
    }

    @Test
    void badUsageAndBudgetRequestsAreRefusedWithTheFieldNamed() {
        assertThat(json(proxy.get("/v1/usage?user=alice&from=yesterday").body()).path("error").path("param").asText(), is("from"));
        assertThat(proxy.get("/v1/usage?user=alice&from=2026-02-01&to=2026-01-01").statusCode(), is(400));
        assertThat(proxy.get("/v1/usage").statusCode(), is(400));
        HttpResponse<String> negative = proxy.send(put("/v1/budgets/alice", "{\"daily_usd\":-1}"));
        assertThat(negative.statusCode(), is(400));
        assertThat(json(negative.body()).path("error").path("param").asText(), is("daily_usd"));
        assertThat(json(proxy.send(put("/v1/budgets/alice", "{\"weekly_usd\":1}")).body()).path("error").path("message").asText(),
                is("Unknown field 'weekly_usd'"));
    }

    @Test
    void withoutADatabaseMeteringIsOffAndSaysSo() {
        try (TestProxy off = TestProxy.start(null)) {
            HttpResponse<String> answer = off.get("/v1/usage?user=alice");

            assertThat(answer.statusCode(), is(503));
            assertThat(json(answer.body()).path("error").path("code").asText(), is("metering_disabled"));
        }
    }

    private HttpResponse<String> call(String user, String session, String agent, String model) {
        HttpRequest.Builder request = proxy.request("/v1/chat/completions").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"));
        if (user != null) {
            request.header("X-User-Id", user);
        }
        if (session != null) {
            request.header("X-Session-Id", session).header("X-Agent-Name", agent);
        }
        return proxy.send(request.build());
    }

    private HttpRequest put(String path, String body) {
        return proxy.request(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private JsonNode awaitUsage(String user, Predicate<JsonNode> done) {
        for (int i = 0; i < 200; i++) {
            JsonNode report = json(proxy.get("/v1/usage?user=" + user).body());
            if (done.test(report)) {
                return report;
            }
            pause();
        }
        throw new AssertionError("The usage of " + user + " was not stored within 10 s");
    }

    private void awaitSql(String query, String expected) {
        for (int i = 0; i < 200 && !sql(query).equals(expected); i++) {
            pause();
        }
        assertThat(sql(query), is(expected));
    }

    private String sql(String statement) {
        try (Connection c = DriverManager.getConnection(db); Statement s = c.createStatement()) {
            if (!s.execute(statement)) {
                return "";
            }
            var rows = s.getResultSet();
            return rows.next() ? rows.getString(1) : "";
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
