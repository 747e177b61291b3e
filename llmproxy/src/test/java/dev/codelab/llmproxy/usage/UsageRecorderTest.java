package dev.codelab.llmproxy.usage;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import dev.codelab.llmproxy.provider.Usage;
import dev.codelab.shared.db.Database;
import dev.codelab.shared.testing.TestInfra;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The writer of metered calls against a real database: the calls of one flush interval go into one transaction
 * (rows written by one transaction share their {@code xmin}), and closing writes what waits at once.
 */
class UsageRecorderTest {

    private static final Duration AN_HOUR = Duration.ofHours(1);

    private static String db;

    @BeforeAll
    static void database() {
        db = TestInfra.newDatabase();
    }

    @Test
    @Timeout(60) // a close that waited for the hour-long interval would hang here
    void theCallsOfOneFlushIntervalAreWrittenInOneTransactionAndCloseWritesThemAtOnce() throws InterruptedException {
        try (Database database = Database.start(db, 2, "llmproxy")) {
            UsageRecorder recorder =
                    new UsageRecorder(new UsageStore(database), 100, AN_HOUR, Duration.ofDays(30), Clock.systemUTC());
            recorder.record(call("rita", 0));
            // time enough for a writer that stores calls as they come to have stored the first
            Thread.sleep(500);
            assertThat(sql("SELECT COUNT(*)::text FROM usage_calls WHERE user_id = 'rita'"), is("0"));
            for (int i = 1; i < 10; i++) {
                recorder.record(call("rita", i));
            }
            recorder.close();
        }
        assertThat(sql("SELECT COUNT(*)::text FROM usage_calls WHERE user_id = 'rita'"), is("10"));
        assertThat(sql("SELECT COUNT(DISTINCT xmin::text)::text FROM usage_calls WHERE user_id = 'rita'"), is("1"));
        assertThat(sql("SELECT calls::text FROM usage_daily WHERE user_id = 'rita'"), is("10"));
    }

    private static String sql(String query) {
        MeteredProxyTest.db = db;
        return MeteredProxyTest.sql(query);
    }

    private static UsageRecord call(String user, int i) {
        return new UsageRecord(
                Instant.now(),
                new CallTags(user, "s" + i, "coder"),
                "gpt",
                "openai:gpt-4o@x",
                new Usage(1, 1),
                0.01,
                5,
                "ok");
    }
}
