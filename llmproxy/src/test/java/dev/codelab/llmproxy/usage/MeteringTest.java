package dev.codelab.llmproxy.usage;

import static dev.codelab.llmproxy.testing.TestProxy.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.fakellm.Reply;
import dev.codelab.shared.testing.TestInfra;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Metering into the proxy's database: every call's tokens and cost per user, session and agent, daily roll-ups,
 * the budget refusal before any provider call, and a database outage that never breaks a call. The tests count
 * every metered row, so each starts on empty tables. A default budget reaches every user of the proxy (and stays
 * in its cache a while): {@link DefaultBudgetTest}; retention at start-up: {@link UsageRetentionTest}; no
 * database: {@link MeteringOffTest}.
 */
class MeteringTest extends MeteredProxyTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serveMetered(server);
    }

    @BeforeEach
    void emptyTables() {
        TestInfra.emptyTables(db);
    }

    @Test
    void eachCallIsMeteredForItsUserSessionAndAgentWithCacheTokensPricedApart() {
        upstream.then(Reply.json(200, ANTHROPIC_ANSWER)).then(Reply.json(200, OPENAI_ANSWER));

        assertThat(call("alice", "s-1", "coder", "claude").statusCode(), is(200));
        assertThat(call("alice", "s-2", "ask", "gpt").statusCode(), is(200));

        JsonNode report =
                awaitUsage("alice", r -> r.path("totals").path("calls").asLong() == 2);
        double gptUsd = 1.0 * 2.5 + 1.0 * 1.25;
        assertThat(report.path("totals"), is(json("""
                {"calls":2,"prompt_tokens":3000000,"completion_tokens":100000,"cache_read_tokens":1600000,
                 "cache_write_tokens":300000,"total_tokens":3100000,\
                "cost_usd":%s}""".formatted(CLAUDE_CALL_USD + gptUsd))));
        assertThat(report.path("by_model").path(0).path("model").asText(), is("claude"));
        assertThat(report.path("by_model").path(0).path("cost_usd").asDouble(), is(CLAUDE_CALL_USD));
        assertThat(report.path("by_model").path(1).path("model").asText(), is("gpt"));
        assertThat(report.path("by_model").path(1).path("cache_read_tokens").asLong(), is(1_000_000L));
        assertThat(report.path("by_day").size(), is(1));
        assertThat(report.path("by_day").path(0).path("day").asText(), is(TODAY));
        assertThat(report.path("by_session").path(0).path("session_id").asText(), is("s-2"));
        assertThat(report.path("by_session").path(1).path("session_id").asText(), is("s-1"));
        assertThat(
                sql("SELECT agent || ' ' || outcome || ' ' || deployment FROM usage_calls WHERE session_id = 's-1'"),
                is("coder ok anthropic:claude-sonnet-4-20250514@" + upstream.baseUrl()));
    }

    @Test
    void aCallWithoutUserIsMeteredAsTheServiceAndUsersAreKeptApart() {
        upstream.then(Reply.json(200, ANTHROPIC_ANSWER)).then(Reply.json(200, ANTHROPIC_ANSWER));

        call(null, null, null, "claude");
        call("bob", "s-b", "coder", "claude");

        assertThat(
                awaitUsage("service", r -> r.path("totals").path("calls").asLong() == 1)
                        .path("totals")
                        .path("calls")
                        .asLong(),
                is(1L));
        assertThat(
                awaitUsage("bob", r -> r.path("totals").path("calls").asLong() == 1)
                        .path("by_session")
                        .path(0)
                        .path("session_id")
                        .asText(),
                is("s-b"));
        assertThat(
                json(proxy.get("/v1/usage?user=alice").body())
                        .path("totals")
                        .path("calls")
                        .asLong(),
                is(0L));
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
                {"state":"exceeded","limit":"daily_usd",\
                "message":"Your Daily budget of $1.00 ($3.11 spent) is used up; it resets at %s.",
                 "resets_at":"%s","first_warning":false}""".formatted(resets, resets))));
        // a service call is never limited, and other users are not affected
        upstream.then(Reply.json(200, ANTHROPIC_ANSWER));
        assertThat(call("dave", null, null, "claude").statusCode(), is(200));
    }

    @Test
    void aDatabaseOutageNeverBreaksACallAndTheRecordIsStoredWhenItIsBack() {
        sql("ALTER TABLE usage_calls RENAME TO usage_calls_away");
        upstream.then(Reply.json(200, ANTHROPIC_ANSWER));

        assertThat(call("frank", "s-f", "coder", "claude").statusCode(), is(200));

        sql("ALTER TABLE usage_calls_away RENAME TO usage_calls");
        assertThat(
                awaitUsage("frank", r -> r.path("totals").path("calls").asLong() == 1)
                        .path("totals")
                        .path("cost_usd")
                        .asDouble(),
                is(CLAUDE_CALL_USD));
    }

    @Test
    void badUsageAndBudgetRequestsAreRefusedWithTheFieldNamed() {
        assertThat(
                json(proxy.get("/v1/usage?user=alice&from=yesterday").body())
                        .path("error")
                        .path("param")
                        .asText(),
                is("from"));
        assertThat(
                proxy.get("/v1/usage?user=alice&from=2026-02-01&to=2026-01-01").statusCode(), is(400));
        assertThat(proxy.get("/v1/usage").statusCode(), is(400));
        HttpResponse<String> negative = proxy.send(put("/v1/budgets/alice", "{\"daily_usd\":-1}"));
        assertThat(negative.statusCode(), is(400));
        assertThat(json(negative.body()).path("error").path("param").asText(), is("daily_usd"));
        assertThat(
                json(proxy.send(put("/v1/budgets/alice", "{\"weekly_usd\":1}")).body())
                        .path("error")
                        .path("message")
                        .asText(),
                is("Unknown field 'weekly_usd'"));
    }
}
