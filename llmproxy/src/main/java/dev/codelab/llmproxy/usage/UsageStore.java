package dev.codelab.llmproxy.usage;

import dev.codelab.shared.db.Database;
import dev.codelab.shared.db.Rows;
import dev.codelab.shared.db.Sql;
import io.helidon.dbclient.DbRow;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The metering tables (migration {@code db/migration/llmproxy}): the raw call log {@code usage_calls}, the daily
 * roll-ups {@code usage_daily} per user and model, {@code budgets} and {@code budget_warnings}.
 */
final class UsageStore {

    /** The budget of every user who has none of their own. */
    static final String DEFAULT_BUDGET = "default";

    private static final String TOTALS =
            "COALESCE(SUM(calls), 0) AS calls, COALESCE(SUM(prompt_tokens), 0) AS prompt_tokens, "
                    + "COALESCE(SUM(completion_tokens), 0) AS completion_tokens, "
                    + "COALESCE(SUM(cache_read_tokens), 0) AS cache_read_tokens, "
                    + "COALESCE(SUM(cache_write_tokens), 0) AS cache_write_tokens, "
                    + "COALESCE(SUM(cost_usd), 0) AS cost_usd";

    /** The 100 costliest sessions of a user in a time range, from the raw call log. */
    private static final String BY_SESSION = """
            SELECT COALESCE(session_id, '-') AS key, COUNT(*) AS calls, SUM(prompt_tokens) AS prompt_tokens,
                SUM(completion_tokens) AS completion_tokens, SUM(cache_read_tokens) AS cache_read_tokens,
                SUM(cache_write_tokens) AS cache_write_tokens, SUM(cost_usd) AS cost_usd
            FROM usage_calls WHERE user_id = ? AND at >= ? AND at < ?
            GROUP BY COALESCE(session_id, '-') ORDER BY SUM(cost_usd) DESC, key LIMIT 100""";

    private final Database database;

    UsageStore(Database database) {
        this.database = database;
    }

    /** Stores a batch of calls (one multi-row INSERT) and adds them to the roll-ups, in one transaction. */
    void write(List<UsageRecord> batch) {
        Map<RollupKey, Totals> rollups = new LinkedHashMap<>();
        for (UsageRecord r : batch) {
            rollups.merge(
                    new RollupKey(
                            r.tags().userId(), r.at().atOffset(ZoneOffset.UTC).toLocalDate(), r.model()),
                    Totals.of(r),
                    Totals::plus);
        }
        List<Object> params = new ArrayList<>(batch.size() * 13);
        for (UsageRecord r : batch) {
            params.addAll(Arrays.asList(
                    r.at(),
                    r.tags().userId(),
                    r.tags().sessionId(),
                    r.tags().agent(),
                    r.model(),
                    r.deployment(),
                    r.usage().promptTokens(),
                    r.usage().completionTokens(),
                    r.usage().cacheReadTokens(),
                    r.usage().cacheWriteTokens(),
                    BigDecimal.valueOf(r.costUsd()),
                    r.latencyMs(),
                    r.outcome()));
        }
        String rows = String.join(", ", Collections.nCopies(batch.size(), "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
        database.transaction(tx -> {
            tx.update(
                    "INSERT INTO usage_calls (at, user_id, session_id, agent, model, deployment, prompt_tokens, "
                            + "completion_tokens, cache_read_tokens, cache_write_tokens, cost_usd, latency_ms, "
                            + "outcome) "
                            + "VALUES " + rows,
                    params.toArray());
            rollups.forEach((key, t) -> tx.update(
                    """
                    INSERT INTO usage_daily AS d (user_id, day, model, calls, prompt_tokens, completion_tokens,
                        cache_read_tokens, cache_write_tokens, cost_usd)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (user_id, day, model) DO UPDATE SET calls = d.calls + EXCLUDED.calls,
                        prompt_tokens = d.prompt_tokens + EXCLUDED.prompt_tokens,
                        completion_tokens = d.completion_tokens + EXCLUDED.completion_tokens,
                        cache_read_tokens = d.cache_read_tokens + EXCLUDED.cache_read_tokens,
                        cache_write_tokens = d.cache_write_tokens + EXCLUDED.cache_write_tokens,
                        cost_usd = d.cost_usd + EXCLUDED.cost_usd""",
                    key.userId(),
                    key.day(),
                    key.model(),
                    t.calls(),
                    t.promptTokens(),
                    t.completionTokens(),
                    t.cacheReadTokens(),
                    t.cacheWriteTokens(),
                    BigDecimal.valueOf(t.costUsd())));
            return null;
        });
    }

    /** What {@code userId} spent on {@code day} and in the month from {@code monthStart} to {@code day}. */
    Spent spent(String userId, LocalDate day, LocalDate monthStart) {
        return database.sql()
                .one(
                        """
                SELECT COALESCE(SUM(cost_usd) FILTER (WHERE day = ?), 0) AS day_cost,
                       COALESCE(SUM(prompt_tokens + completion_tokens) FILTER (WHERE day = ?), 0) AS day_tokens,
                       COALESCE(SUM(cost_usd), 0) AS month_cost,
                       COALESCE(SUM(prompt_tokens + completion_tokens), 0) AS month_tokens
                FROM usage_daily WHERE user_id = ? AND day >= ? AND day <= ?""",
                        row -> new Spent(
                                new Spend(number(row, "day_cost"), Rows.longValue(row, "day_tokens")),
                                new Spend(number(row, "month_cost"), Rows.longValue(row, "month_tokens"))),
                        day,
                        day,
                        userId,
                        monthStart,
                        day)
                .orElseThrow();
    }

    /** The usage report of {@code userId} from {@code from} to {@code to} (UTC days, both included). */
    UsageReport report(String userId, LocalDate from, LocalDate to) {
        Sql sql = database.sql();
        Totals totals = sql.one(
                        "SELECT " + TOTALS + " FROM usage_daily WHERE user_id = ? AND day BETWEEN ? AND ?",
                        UsageStore::totals,
                        userId,
                        from,
                        to)
                .orElseThrow();
        List<UsageReport.Row> byDay = sql.list(
                "SELECT day::text AS key, " + TOTALS
                        + " FROM usage_daily WHERE user_id = ? AND day BETWEEN ? AND ? GROUP BY day ORDER BY day",
                UsageStore::row,
                userId,
                from,
                to);
        List<UsageReport.Row> byModel = sql.list(
                "SELECT model AS key, " + TOTALS
                        + " FROM usage_daily WHERE user_id = ? AND day BETWEEN ? AND ? GROUP BY model ORDER BY model",
                UsageStore::row,
                userId,
                from,
                to);
        List<UsageReport.Row> bySession =
                sql.list(BY_SESSION, UsageStore::row, userId, startOf(from), startOf(to.plusDays(1)));
        return new UsageReport(userId, from, to, totals, byDay, byModel, bySession);
    }

    Optional<Budget> budget(String userId) {
        return database.sql()
                .one(
                        "SELECT daily_usd, monthly_usd, daily_tokens, monthly_tokens, soft_limit_percent "
                                + "FROM budgets WHERE user_id = ?",
                        UsageStore::budget,
                        userId);
    }

    void putBudget(String userId, Budget b) {
        database.sql()
                .update(
                        """
                INSERT INTO budgets
                    (user_id, daily_usd, monthly_usd, daily_tokens, monthly_tokens, soft_limit_percent, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, now())
                ON CONFLICT (user_id) DO UPDATE SET daily_usd = EXCLUDED.daily_usd, monthly_usd = EXCLUDED.monthly_usd,
                    daily_tokens = EXCLUDED.daily_tokens, monthly_tokens = EXCLUDED.monthly_tokens,
                    soft_limit_percent = EXCLUDED.soft_limit_percent, updated_at = now()""",
                        userId,
                        b.dailyUsd(),
                        b.monthlyUsd(),
                        b.dailyTokens(),
                        b.monthlyTokens(),
                        b.softLimitPercent());
    }

    /** True the first time it is called for this user and period: the soft-limit warning is given once. */
    boolean firstWarning(String userId, String period) {
        return database.sql()
                        .update(
                                "INSERT INTO budget_warnings (user_id, period) VALUES (?, ?) ON CONFLICT DO NOTHING",
                                userId,
                                period)
                == 1;
    }

    /** Deletes raw calls older than {@code before} and warnings of periods long over; returns the calls deleted. */
    long deleteBefore(Instant before) {
        database.sql().update("DELETE FROM budget_warnings WHERE at < ?", before);
        return database.sql().update("DELETE FROM usage_calls WHERE at < ?", before);
    }

    private static Instant startOf(LocalDate day) {
        return day.atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    private static Budget budget(DbRow row) {
        Number dailyTokens = row.column("daily_tokens").get(Number.class);
        Number monthlyTokens = row.column("monthly_tokens").get(Number.class);
        return new Budget(
                row.column("daily_usd").get(BigDecimal.class),
                row.column("monthly_usd").get(BigDecimal.class),
                dailyTokens == null ? null : dailyTokens.longValue(),
                monthlyTokens == null ? null : monthlyTokens.longValue(),
                Rows.intValue(row, "soft_limit_percent"));
    }

    private static UsageReport.Row row(DbRow row) {
        return new UsageReport.Row(Rows.text(row, "key"), totals(row));
    }

    private static Totals totals(DbRow row) {
        return new Totals(
                Rows.longValue(row, "calls"),
                Rows.longValue(row, "prompt_tokens"),
                Rows.longValue(row, "completion_tokens"),
                Rows.longValue(row, "cache_read_tokens"),
                Rows.longValue(row, "cache_write_tokens"),
                number(row, "cost_usd"));
    }

    private static double number(DbRow row, String column) {
        return row.column(column).get(Number.class).doubleValue();
    }

    /** Spending today and this month. */
    record Spent(Spend day, Spend month) {

        Spent plus(Spend pending) {
            return new Spent(day.plus(pending), month.plus(pending));
        }
    }

    private record RollupKey(String userId, LocalDate day, String model) {}
}
