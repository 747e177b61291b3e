package dev.codelab.gateway;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import dev.codelab.gateway.support.FakeAgent;
import dev.codelab.gateway.support.GatewayHarness;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/usage} and the admin usage and budget routes: who may see what, and what reaches the agent. */
class UsageApiTest extends GatewayTestBase {

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws Exception {
        serve(server, Map.of());
    }

    @Test
    void ownUsageGoesToTheAgentAsTheCallerWithTheRange() {
        HttpResponse<String> answer = gateway.get(
                "/api/v1/usage?from=2026-12-01&to=2026-12-03&user_id=someone-else", gateway.tokens.access("usage-a"));

        assertThat(answer.statusCode(), is(200));
        assertThat(answer.body(), is("""
                {"user_id":"usage-a"}"""));
        FakeAgent.Recorded upstream = gateway.agent.requests("GET", "/usage").getLast();
        assertThat(upstream.query(), is("from=2026-12-01&to=2026-12-03"));
        assertThat(upstream.headers().get("x-user-id"), is("usage-a"));
    }

    @Test
    void aMalformedRangeOrUserIdIs400() {
        String token = gateway.tokens.access("usage-b");
        HttpResponse<String> badDay = gateway.get("/api/v1/usage?from=yesterday", token);
        assertThat(badDay.statusCode(), is(400));
        assertThat(
                GatewayHarness.json(badDay).get("message").asText(),
                is("Query parameter 'from' must be a day like 2026-12-03"));
        String admin = gateway.tokens.withScope("root", "api:read api:write api:admin");
        assertThat(gateway.get("/api/v1/admin/usage/bad%20id", admin).statusCode(), is(400));
    }

    @Test
    void adminRoutesNeedTheAdminScopeAndReachNothingWithoutIt() {
        int before = gateway.agent.requests().size();
        String user = gateway.tokens.access("usage-c");

        HttpResponse<String> usage = gateway.get("/api/v1/admin/usage/usage-a", user);
        HttpResponse<String> budget = gateway.send("PUT", "/api/v1/admin/budgets/usage-a", user, """
                {"daily_usd":5}""");

        for (HttpResponse<String> answer : new HttpResponse[] {usage, budget}) {
            assertThat(answer.statusCode(), is(403));
            assertThat(GatewayHarness.json(answer).get("error").asText(), is("insufficient_scope"));
            assertThat(
                    answer.headers().firstValue("WWW-Authenticate").orElse(""),
                    is("Bearer error=\"insufficient_scope\", scope=\"api:admin\""));
        }
        assertThat(gateway.agent.requests().size(), is(before));
    }

    @Test
    void anAdminSeesAnyUsersUsageAndSetsBudgetsAsTheTrustedService() {
        String admin = gateway.tokens.withScope("root", "api:read api:write api:admin");

        HttpResponse<String> usage = gateway.get("/api/v1/admin/usage/usage-a?from=2026-12-01", admin);
        HttpResponse<String> put = gateway.send("PUT", "/api/v1/admin/budgets/default", admin, """
                {"monthly_usd":50}""");

        assertThat(usage.body(), is("""
                {"user_id":"usage-a"}"""));
        FakeAgent.Recorded forwarded = gateway.agent.requests("GET", "/usage").getLast();
        assertThat(forwarded.query(), is("user_id=usage-a&from=2026-12-01"));
        assertThat(forwarded.headers().get("x-user-id"), is(nullValue()));
        assertThat(put.statusCode(), is(200));
        FakeAgent.Recorded budget =
                gateway.agent.requests("PUT", "/budgets/default").getLast();
        assertThat(budget.body(), is("""
                {"monthly_usd":50}"""));
        assertThat(budget.headers().get("x-user-id"), is(nullValue()));
        assertThat(gateway.get("/api/v1/admin/budgets/usage-a", admin).body(), is("""
                {"budget_of":"usage-a"}"""));
    }
}
