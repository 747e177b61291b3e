package dev.codelab.llmproxy.usage;

import static dev.codelab.llmproxy.testing.TestProxy.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.fakellm.Reply;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The default budget, in a class of its own: once set it applies to every user of the proxy. */
class DefaultBudgetTest extends MeteredProxyTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serveMetered(server);
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
        assertThat(
                first.path("message").asText(),
                is("You have used 60% of your Monthly token limit of 1000000 tokens (600000 used); it resets at "
                        + LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).plusMonths(1) + "T00:00:00Z."));
        assertThat(first.path("first_warning").asBoolean(), is(true));
        assertThat(second.path("first_warning").asBoolean(), is(false));
        assertThat(json(proxy.get("/v1/budgets/erin").body()), is(json("""
                {"user_id":"erin","daily_usd":null,"monthly_usd":null,"daily_tokens":null,"monthly_tokens":1000000,
                 "soft_limit_percent":50,"source":"default"}""")));
    }
}
