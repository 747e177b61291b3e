package dev.codelab.llmproxy.usage;

import static dev.codelab.llmproxy.testing.TestProxy.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.llmproxy.ProviderServerTest;
import dev.codelab.llmproxy.testing.TestProxy;
import dev.codelab.shared.testing.TestInfra;
import io.helidon.webserver.WebServerConfig;
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

/**
 * A proxy per test class that meters into a new database of its own ({@link #db}), in front of one fake provider
 * serving two priced aliases, {@code claude} (Anthropic) and {@code gpt} (OpenAI); with the calls, budget requests
 * and database look-ups its tests share.
 */
abstract class MeteredProxyTest extends ProviderServerTest {

    static final String TODAY = LocalDate.now(ZoneOffset.UTC).toString();
    static final String ANTHROPIC_ANSWER = """
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-20250514",
             "content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn",
             "usage":{"input_tokens":100000,"cache_read_input_tokens":600000,"cache_creation_input_tokens":300000,\
            "output_tokens":100000}}""";
    static final String OPENAI_ANSWER = """
            {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,
             "message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":2000000,"completion_tokens":0,"total_tokens":2000000,
              "prompt_tokens_details":{"cached_tokens":1000000,"audio_tokens":0}}}""";
    /** Fresh 100k at $3, reads 600k at $0.30, writes 300k at $3.75, output 100k at $15 (per million). */
    static final double CLAUDE_CALL_USD = 0.3 + 0.18 + 1.125 + 1.5;

    private static final String REGISTRY = """
            models:
              - alias: claude
                deployments:
                  - {provider: anthropic, model: claude-sonnet-4-20250514, base_url: "%1$s", api_key_env: K}
                price: {input_per_1m: 3.0, output_per_1m: 15.0, cache_read_per_1m: 0.3, cache_write_per_1m: 3.75}
              - alias: gpt
                deployments:
                  - {provider: openai, model: gpt-4o, base_url: "%1$s", api_key_env: K}
                price: {input_per_1m: 2.5, output_per_1m: 10.0, cache_read_per_1m: 1.25}
            """;

    static String db;

    /** For the subclass's {@code @SetUpServer}: a new database and the metered proxy on the test server. */
    static void serveMetered(WebServerConfig.Builder server) {
        newDatabaseAndUpstream();
        serve(server, registry(), settings(), Map.of("K", "key"));
    }

    /** A new database for the class and the fake provider, before the proxy is served. */
    static void newDatabaseAndUpstream() {
        db = TestInfra.newDatabase();
        upstream = startUpstream();
    }

    /** The metered proxy once created and closed without being served: its database is migrated. */
    static void migrate() {
        TestProxy.create(registry(), settings(), Map.of("K", "key")).close();
    }

    /** The registry: both aliases on the class's fake provider. */
    static String registry() {
        return REGISTRY.formatted(upstream.baseUrl());
    }

    /** Metering into {@link #db}, flushed every 20 ms. */
    static Map<String, String> settings() {
        return Map.of("llm-proxy.db-url", db, "llm-proxy.usage-flush-ms", "20");
    }

    static HttpResponse<String> call(String user, String session, String agent, String model) {
        HttpRequest.Builder request = proxy.request("/v1/chat/completions")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"));
        if (user != null) {
            request.header("X-User-Id", user);
        }
        if (session != null) {
            request.header("X-Session-Id", session).header("X-Agent-Name", agent);
        }
        return proxy.send(request.build());
    }

    static HttpRequest put(String path, String body) {
        return proxy.request(path)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    static JsonNode awaitUsage(String user, Predicate<JsonNode> done) {
        for (int i = 0; i < 200; i++) {
            JsonNode report = json(proxy.get("/v1/usage?user=" + user).body());
            if (done.test(report)) {
                return report;
            }
            pause();
        }
        throw new AssertionError("The usage of " + user + " was not stored within 10 s");
    }

    static void awaitSql(String query, String expected) {
        for (int i = 0; i < 200 && !sql(query).equals(expected); i++) {
            pause();
        }
        assertThat(sql(query), is(expected));
    }

    static String sql(String statement) {
        try (Connection c = DriverManager.getConnection(db);
                Statement s = c.createStatement()) {
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
