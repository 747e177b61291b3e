package dev.codelab.llmproxy.usage;

import dev.codelab.llmproxy.api.OpenAiException;
import dev.codelab.shared.db.Database;
import io.helidon.config.Config;
import io.helidon.webserver.http.HttpRouting;
import java.time.Clock;
import java.time.Duration;

/**
 * Usage, cost and budgets per user (docs/llmproxy.md, "Usage, cost and budgets"): every call is metered into the
 * proxy's own database through a {@link UsageRecorder}, and a user's call is refused when their budget is used up.
 * Without {@code db-url} metering is off: calls are neither metered nor limited, and the usage endpoints answer
 * 503 {@code metering_disabled}.
 */
public final class Metering implements AutoCloseable {

    private final Database database;
    private final UsageStore store;
    private final UsageRecorder recorder;
    private final BudgetGuard guard;

    private Metering(Database database, Duration flushEvery, int queueSize, Duration retention, Clock clock) {
        this.database = database;
        this.store = database == null ? null : new UsageStore(database);
        this.recorder = database == null ? null : new UsageRecorder(store, queueSize, flushEvery, retention, clock);
        this.guard = database == null ? null : new BudgetGuard(store, recorder, clock);
    }

    /** Metering over the database {@code llm-proxy.db-url} names; off when it names none. */
    public static Metering start(Config c) {
        String url = c.get("db-url").asString().orElse("");
        if (url.isBlank()) {
            return new Metering(null, null, 0, null, null);
        }
        Database database = Database.start(url, c.get("db-pool-size").asInt().orElse(4), "llmproxy");
        return new Metering(
                database,
                Duration.ofMillis(c.get("usage-flush-ms").asLong().orElse(500L)),
                c.get("usage-queue-size").asInt().orElse(10_000),
                Duration.ofDays(c.get("usage-retention-days").asInt().orElse(30)),
                Clock.systemUTC());
    }

    /**
     * Lets the call go ahead, or throws 429 {@code insufficient_quota} when the caller's user has used up a
     * budget limit. Service calls (no user) are not limited.
     */
    public void admit(CallTags tags) {
        BudgetStatus status = status(tags);
        if (status.exceeded()) {
            throw OpenAiException.insufficientQuota(status.message());
        }
    }

    BudgetStatus status(CallTags tags) {
        return guard == null || tags.isService() ? BudgetStatus.OK : guard.check(tags.userId());
    }

    /** Queues the call for storing (never blocks the caller). */
    public void record(UsageRecord record) {
        if (recorder != null) {
            recorder.record(record);
        }
    }

    /** The usage and budget endpoints. */
    public void routing(HttpRouting.Builder routing) {
        new UsageHandlers(this).register(routing);
    }

    /**
     * Stores {@code userId}'s budget; this replica applies it at once, others within
     * {@link BudgetGuard#BUDGET_TTL}.
     */
    void putBudget(String userId, Budget budget) {
        store().putBudget(userId, budget);
        guard.forget(userId);
    }

    UsageStore store() {
        if (store == null) {
            throw OpenAiException.meteringOff();
        }
        return store;
    }

    @Override
    public void close() {
        if (database != null) {
            recorder.close();
            database.close();
        }
    }
}
