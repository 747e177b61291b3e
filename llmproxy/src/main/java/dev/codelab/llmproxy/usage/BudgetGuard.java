package dev.codelab.llmproxy.usage;

import java.lang.System.Logger.Level;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks a user's spending against their budget (their own, else the default one): spent = the daily roll-ups of
 * today and this month (UTC) plus what is queued but not stored yet. Each limit is checked in this order: daily
 * USD, monthly USD, daily tokens, monthly tokens; the first one reached decides. A check that cannot read the
 * database lets the call through (metering trouble never stops a turn) and logs why; for {@link #PAUSE_AFTER_FAILURE}
 * after that the checks let every call through at once, so that a database outage does not slow each call down by
 * the pool's connection timeout.
 *
 * <p>Budgets are read through a cache of {@link #BUDGET_TTL} (a changed budget reaches another replica within that
 * long), so a user without a budget costs no query per call; spending is read from the database on every call of a
 * user who has one.
 */
final class BudgetGuard {

    private static final System.Logger LOG = System.getLogger(BudgetGuard.class.getName());
    static final Duration PAUSE_AFTER_FAILURE = Duration.ofSeconds(10);
    static final Duration BUDGET_TTL = Duration.ofSeconds(5);
    private static final int MAX_CACHED_BUDGETS = 10_000;

    private final UsageStore store;
    private final UsageRecorder recorder;
    private final Clock clock;
    private volatile Instant pausedUntil = Instant.MIN;
    private final Map<String, CachedBudget> budgets = new ConcurrentHashMap<>();

    BudgetGuard(UsageStore store, UsageRecorder recorder, Clock clock) {
        this.store = store;
        this.recorder = recorder;
        this.clock = clock;
    }

    BudgetStatus check(String userId) {
        if (clock.instant().isBefore(pausedUntil)) {
            return BudgetStatus.OK;
        }
        try {
            Optional<Budget> budget = budgetOf(userId).or(() -> budgetOf(UsageStore.DEFAULT_BUDGET));
            return budget.isEmpty() ? BudgetStatus.OK : statusOf(userId, budget.get());
        } catch (RuntimeException e) {
            pausedUntil = clock.instant().plus(PAUSE_AFTER_FAILURE);
            LOG.log(
                    Level.WARNING,
                    "Cannot check the budget of " + userId + "; calls go ahead unchecked for "
                            + PAUSE_AFTER_FAILURE.toSeconds() + " s: " + e.getMessage());
            return BudgetStatus.OK;
        }
    }

    /** The first limit used up, else the first one past the soft limit, else OK. */
    private BudgetStatus statusOf(String userId, Budget budget) {
        Limit[] limits = limitsOf(userId, budget);
        for (Limit limit : limits) {
            if (limit.reached(100)) {
                return limit.status("exceeded", false);
            }
        }
        for (Limit limit : limits) {
            if (limit.reached(budget.softLimitPercent())) {
                return limit.status(
                        "warning", store.firstWarning(userId, limit.period().key()));
            }
        }
        return BudgetStatus.OK;
    }

    /** The budget's limits in the order they are checked, each with what was spent against it. */
    private Limit[] limitsOf(String userId, Budget budget) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDate monthStart = today.withDayOfMonth(1);
        UsageStore.Spent spent = recorder.betweenBatches(
                () -> store.spent(userId, today, monthStart).plus(recorder.pending(userId)));
        Period day = new Period("daily", "day " + today, today.plusDays(1));
        Period month = new Period("monthly", "month " + today.toString().substring(0, 7), monthStart.plusMonths(1));
        return new Limit[] {
            Limit.usd(day, budget.dailyUsd(), spent.day().costUsd()),
            Limit.usd(month, budget.monthlyUsd(), spent.month().costUsd()),
            Limit.tokens(day, budget.dailyTokens(), spent.day().tokens()),
            Limit.tokens(month, budget.monthlyTokens(), spent.month().tokens())
        };
    }

    /** Forgets the cached budget of {@code userId} (after this replica changed it). */
    void forget(String userId) {
        budgets.remove(userId);
    }

    private Optional<Budget> budgetOf(String userId) {
        Instant now = clock.instant();
        CachedBudget cached = budgets.get(userId);
        if (cached != null && now.isBefore(cached.expires())) {
            return cached.budget();
        }
        if (budgets.size() >= MAX_CACHED_BUDGETS) {
            budgets.clear();
        }
        Optional<Budget> budget = store.budget(userId);
        budgets.put(userId, new CachedBudget(budget, now.plus(BUDGET_TTL)));
        return budget;
    }

    private record CachedBudget(Optional<Budget> budget, Instant expires) {}

    /** A budget period: its name in messages, its key in {@code budget_warnings}, and the day it ends. */
    private record Period(String name, String key, LocalDate end) {

        Instant resetsAt() {
            return end.atStartOfDay().toInstant(ZoneOffset.UTC);
        }
    }

    /** One limit of the budget (null: none) and what was spent against it. */
    private record Limit(Period period, String field, String unit, Double max, double spent) {

        static Limit usd(Period period, BigDecimal max, double spent) {
            return new Limit(period, period.name() + "_usd", "usd", max == null ? null : max.doubleValue(), spent);
        }

        static Limit tokens(Period period, Long max, long spent) {
            return new Limit(
                    period, period.name() + "_tokens", "tokens", max == null ? null : max.doubleValue(), spent);
        }

        boolean reached(int percent) {
            return max != null && spent >= max * percent / 100.0;
        }

        BudgetStatus status(String state, boolean firstWarning) {
            String what = unit.equals("usd")
                    ? String.format(Locale.ROOT, "%s budget of $%.2f ($%.2f spent)", capitalized(), max, spent)
                    : String.format(
                            Locale.ROOT,
                            "%s token limit of %d tokens (%d used)",
                            capitalized(),
                            (long) (double) max,
                            (long) spent);
            String message = (state.equals("exceeded")
                            ? "Your " + what + " is used up"
                            : "You have used " + Math.round(spent * 100 / Math.max(max, 1e-9)) + "% of your " + what)
                    + "; it resets at " + period.resetsAt() + ".";
            return new BudgetStatus(state, field, message, period.resetsAt(), firstWarning);
        }

        private String capitalized() {
            return Character.toUpperCase(period.name().charAt(0))
                    + period.name().substring(1);
        }
    }
}
