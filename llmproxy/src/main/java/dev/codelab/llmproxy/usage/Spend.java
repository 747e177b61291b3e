package dev.codelab.llmproxy.usage;

/** Money and tokens spent (or about to be stored as spent). */
record Spend(double costUsd, long tokens) {

    static final Spend NONE = new Spend(0, 0);

    static Spend of(UsageRecord record) {
        return new Spend(record.costUsd(), record.usage().totalTokens());
    }

    Spend plus(Spend other) {
        return new Spend(costUsd + other.costUsd, tokens + other.tokens);
    }

    Spend minus(Spend other) {
        return new Spend(costUsd - other.costUsd, tokens - other.tokens);
    }
}
