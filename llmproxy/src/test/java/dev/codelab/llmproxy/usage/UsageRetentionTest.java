package dev.codelab.llmproxy.usage;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Retention when the proxy starts: the database already holds a raw call and a roll-up 40 days old (put there
 * after a first proxy migrated it) when {@code @SetUpServer} starts the class's proxy.
 */
class UsageRetentionTest extends MeteredProxyTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        newDatabaseAndUpstream();
        migrate();
        sql("INSERT INTO usage_calls (at, user_id, model, deployment, prompt_tokens, completion_tokens, "
                + "cache_read_tokens, cache_write_tokens, cost_usd, latency_ms, outcome) "
                + "VALUES (now() - interval '40 days', 'gina', 'gpt', '-', 1, 1, 0, 0, 1, 1, 'ok')");
        sql("INSERT INTO usage_daily VALUES ('gina', current_date - 40, 'gpt', 1, 1, 1, 0, 0, 1)");
        serve(server, registry(), settings(), Map.of("K", "key"));
    }

    @Test
    void rawCallsOlderThanTheRetentionAreDeletedAndTheRollUpsStay() {
        awaitSql("SELECT COUNT(*)::text FROM usage_calls WHERE user_id = 'gina'", "0");
        assertThat(sql("SELECT COUNT(*)::text FROM usage_daily WHERE user_id = 'gina'"), is("1"));
    }
}
