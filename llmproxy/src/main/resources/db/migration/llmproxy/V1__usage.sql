-- Metering (docs/llmproxy.md, "Usage, cost and budgets"): one row per LLM call, kept for a bounded time, and
-- daily roll-ups per user and model that the usage reports and budget checks read.

CREATE TABLE usage_calls (
    id                 BIGSERIAL PRIMARY KEY,
    at                 TIMESTAMPTZ NOT NULL,
    user_id            TEXT NOT NULL,
    session_id         TEXT,
    agent              TEXT,
    model              TEXT NOT NULL,
    deployment         TEXT NOT NULL,
    prompt_tokens      BIGINT NOT NULL,
    completion_tokens  BIGINT NOT NULL,
    cache_read_tokens  BIGINT NOT NULL,
    cache_write_tokens BIGINT NOT NULL,
    cost_usd           NUMERIC(20, 10) NOT NULL,
    latency_ms         BIGINT NOT NULL,
    outcome            TEXT NOT NULL
);
CREATE INDEX usage_calls_at ON usage_calls (at);
CREATE INDEX usage_calls_user_at ON usage_calls (user_id, at);

CREATE TABLE usage_daily (
    user_id            TEXT NOT NULL,
    day                DATE NOT NULL,
    model              TEXT NOT NULL,
    calls              BIGINT NOT NULL,
    prompt_tokens      BIGINT NOT NULL,
    completion_tokens  BIGINT NOT NULL,
    cache_read_tokens  BIGINT NOT NULL,
    cache_write_tokens BIGINT NOT NULL,
    cost_usd           NUMERIC(20, 10) NOT NULL,
    PRIMARY KEY (user_id, day, model)
);

-- user_id 'default' is the budget of every user without one of their own; a null limit is no limit.
CREATE TABLE budgets (
    user_id            TEXT PRIMARY KEY,
    daily_usd          NUMERIC(20, 6),
    monthly_usd        NUMERIC(20, 6),
    daily_tokens       BIGINT,
    monthly_tokens     BIGINT,
    soft_limit_percent INT NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The soft-limit warnings already given: one per user and budget period ('day 2026-12-03', 'month 2026-12').
CREATE TABLE budget_warnings (
    user_id TEXT NOT NULL,
    period  TEXT NOT NULL,
    at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, period)
);
