package dev.codelab.systemtests.reliability;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.testing.WsClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Usage, cost and budgets through the whole stack (IDE WebSocket → gateway → agent → llmproxy and its usage
 * database): a turn's cost is visible to its user and to an admin within seconds, users are kept apart, the admin
 * routes need {@code api:admin}, each budget outcome reaches the IDE, and a metering database outage never
 * breaks a turn.
 */
class UsageAndBudgetsTest {

    /** The fake model with a price, so that a turn costs something. */
    private static final String PRICED_FAKE = """
            models:
              - alias: fake
                deployments:
                  - {provider: fake, model: fake}
                price: {input_per_1m: 1000.0, output_per_1m: 2000.0}
            """;

    private static Path registry;
    private static SystemStack stack;

    @BeforeAll
    static void start() throws Exception {
        registry = Files.writeString(Files.createTempFile("priced-fake", ".yaml"), PRICED_FAKE);
        stack = SystemStack.start(
                Map.of("LLM_PROXY__MODELS_FILE", registry.toString(), "LLM_PROXY__USAGE_FLUSH_MS", "50"));
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        Files.deleteIfExists(registry);
    }

    @Test
    void aTurnsCostIsVisibleToItsUserAndAnAdminWithinSecondsAndUsersAreKeptApart() throws Exception {
        String alice = stack.login(SystemStack.ALICE);
        String bob = stack.login(SystemStack.BOB);
        String session = stack.newSession(alice);

        assertThat(turn(alice, session, "hello").getLast().path("reason").asText(), is("completed"));

        JsonNode own =
                awaitUsage(stack, alice, r -> r.path("totals").path("calls").asLong() >= 2);
        String aliceId = own.path("user_id").asText();
        assertThat(own.path("totals").path("cost_usd").asDouble(), greaterThan(0.0));
        assertThat(own.path("by_model").get(0).path("model").asText(), is("fake"));
        assertThat(own.path("by_session").get(0).path("session_id").asText(), is(session));
        JsonNode bobs = Json.read(stack.api("GET", "/api/v1/usage", bob, null).body());
        assertThat(bobs.path("totals").path("calls").asLong(), is(0L));

        HttpResponse<String> notAdmin = stack.api("GET", "/api/v1/admin/usage/" + aliceId, bob, null);
        assertThat(notAdmin.statusCode(), is(403));
        assertThat(Json.read(notAdmin.body()).path("error").asText(), is("insufficient_scope"));
        assertThat(
                stack.api("PUT", "/api/v1/admin/budgets/" + aliceId, bob, """
                        {"daily_usd":0}""").statusCode(), is(403));
        JsonNode seenByAdmin = Json.read(stack.api("GET", "/api/v1/admin/usage/" + aliceId, admin(), null)
                .body());
        assertThat(seenByAdmin.path("totals"), is(own.path("totals")));
    }

    @Test
    void theSoftLimitWarnsAndTheHardLimitRefusesTheTurnBeforeAnyLlmCall() throws Exception {
        String carol = login("carol");
        String session = stack.newSession(carol);
        turn(carol, session, "hello");
        JsonNode first =
                awaitUsage(stack, carol, r -> r.path("totals").path("calls").asLong() >= 2);
        String carolId = first.path("user_id").asText();
        double oneTurn = first.path("totals").path("cost_usd").asDouble();
        HttpResponse<String> put = stack.api(
                "PUT",
                "/api/v1/admin/budgets/" + carolId,
                admin(),
                "{\"daily_usd\":" + oneTurn * 1.5 + ",\"soft_limit_percent\":50}");
        assertThat(put.body(), put.statusCode(), is(200));

        List<JsonNode> warned = turn(carol, session, "hello again");

        assertThat(warned.getFirst().path("type").asText(), is("usage_warning"));
        assertThat(warned.getFirst().path("limit").asText(), is("daily_usd"));
        assertThat(
                warned.getFirst().path("content").asText(), startsWith("You have used 67% of your Daily budget of $"));
        assertThat(warned.getLast().path("reason").asText(), is("completed"));
        long calls = awaitUsage(
                        stack, carol, r -> r.path("totals").path("calls").asLong() >= 3)
                .path("totals")
                .path("calls")
                .asLong();

        List<JsonNode> refused = turn(carol, session, "and once more");

        assertThat(types(refused), contains("error", "done"));
        assertThat(refused.getFirst().path("error_code").asText(), is("BUDGET_EXCEEDED"));
        assertThat(refused.getFirst().path("content").asText(), startsWith("Your Daily budget of $"));
        assertThat(refused.getLast().path("reason").asText(), is("error"));
        Thread.sleep(300);
        assertThat(
                Json.read(stack.api("GET", "/api/v1/usage", carol, null).body())
                        .path("totals")
                        .path("calls")
                        .asLong(),
                is(calls));
        String dave = login("dave");
        assertThat(
                turn(dave, stack.newSession(dave), "hello")
                        .getLast()
                        .path("reason")
                        .asText(),
                is("completed"));
    }

    /** On a stack of its own: after the outage the budget checks let calls through unchecked for a while. */
    @Test
    void aMeteringDatabaseOutageNeverBreaksATurnAndTheCallsAreStoredAfterIt() throws Exception {
        try (SystemStack own = SystemStack.start(Map.of("LLM_PROXY__USAGE_FLUSH_MS", "50"))) {
            String erin = own.login(SystemStack.ALICE);
            String session = own.newSession(erin);
            String database = own.llmproxyDbUrl().replaceAll("^jdbc:postgresql://[^/]+/([^?]+).*$", "$1");
            own.asSuperuser("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
            own.asSuperuser(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");
            try {
                List<JsonNode> turn = turn(own, erin, session, "hello while metering is down");
                assertThat(turn.toString(), turn.getLast().path("reason").asText(), is("completed"));
            } finally {
                own.asSuperuser("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
            }
            JsonNode usage =
                    awaitUsage(own, erin, r -> r.path("totals").path("calls").asLong() >= 2);
            assertThat(usage.path("by_session").get(0).path("session_id").asText(), is(session));
        }
    }

    private static String login(String user) throws Exception {
        stack.ensureUser(user);
        return stack.login(user);
    }

    private static List<JsonNode> turn(String token, String session, String text) throws Exception {
        return turn(stack, token, session, text);
    }

    private static List<JsonNode> turn(SystemStack on, String token, String session, String text) throws Exception {
        try (WsClient ide = on.connect(session, token)) {
            ide.send("{\"type\":\"user_message\",\"content\":\"" + text + "\"}");
            return ide.untilDone();
        }
    }

    private static List<String> types(List<JsonNode> frames) {
        return frames.stream().map(f -> f.path("type").asText()).toList();
    }

    /** An access token of the internal client, which holds {@code api:admin}. */
    private static String admin() throws Exception {
        HttpResponse<String> res = stack.postForm(Map.of(
                "grant_type",
                "client_credentials",
                "client_id",
                "codelab-internal",
                "client_secret",
                "dev-internal-secret-change-me",
                "scope",
                "api:admin api:read api:write"));
        assertThat(res.body(), res.statusCode(), is(200));
        return Json.read(res.body()).path("access_token").asText();
    }

    private static JsonNode awaitUsage(SystemStack on, String token, Predicate<JsonNode> done) throws Exception {
        String path = "/api/v1/usage";
        JsonNode report = null;
        for (int i = 0; i < 200; i++) {
            HttpResponse<String> res = on.api("GET", path, token, null);
            if (res.statusCode() == 200) {
                report = Json.read(res.body());
                if (done.test(report)) {
                    return report;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("The usage at " + path + " was not there within 10 s: " + report);
    }
}
