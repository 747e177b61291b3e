package dev.codelab.agent.store;

import dev.codelab.shared.db.Rows;
import dev.codelab.shared.db.Sql;
import java.util.Optional;

/**
 * The {@code context_summaries} table: condensed stretches of a session's conversation. A newer summary includes
 * what the older ones said, so only the newest is used.
 */
public final class Summaries {

    private Summaries() {}

    /** A summary of the messages {@code firstSeq..lastSeq}. */
    public record Summary(long firstSeq, long lastSeq, String content) {}

    /** What a condensing stored, for the record: how much it replaced and what it saved. */
    public record Condensing(
            Summary summary, int messagesSummarised, int tokensBefore, int tokensAfter, String trigger) {}

    public static Optional<Summary> latest(Sql sql, String sessionId) {
        return sql.one(
                "SELECT first_seq, last_seq, content FROM context_summaries WHERE session_id = ? "
                        + "ORDER BY id DESC LIMIT 1",
                r -> new Summary(
                        Rows.longValue(r, "first_seq"), Rows.longValue(r, "last_seq"), Rows.text(r, "content")),
                sessionId);
    }

    public static void insert(Sql sql, String sessionId, Condensing c) {
        sql.update(
                "INSERT INTO context_summaries (session_id, first_seq, last_seq, content, messages_summarised, "
                        + "tokens_before, tokens_after, trigger) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                sessionId,
                c.summary().firstSeq(),
                c.summary().lastSeq(),
                c.summary().content(),
                c.messagesSummarised(),
                c.tokensBefore(),
                c.tokensAfter(),
                c.trigger());
    }
}
