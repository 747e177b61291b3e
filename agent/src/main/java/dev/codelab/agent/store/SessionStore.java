package dev.codelab.agent.store;

import dev.codelab.agent.agents.AgentType;
import dev.codelab.shared.db.Rows;
import dev.codelab.shared.db.Sql;
import io.helidon.dbclient.DbRow;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * The {@code sessions} table.
 */
public final class SessionStore {

    private static final String COLUMNS = "s.id, s.user_id, s.title, s.system_prompt, s.current_agent, s.switch_count, "
            + "s.created_at, s.last_activity, "
            + "(SELECT count(*) FROM messages m WHERE m.session_id = s.id) AS message_count";

    private SessionStore() {}

    public record Session(
            String id,
            String userId,
            String title,
            String systemPrompt,
            AgentType currentAgent,
            int switchCount,
            OffsetDateTime createdAt,
            OffsetDateTime lastActivity,
            long messageCount) {}

    /** Inserts a session ({@code userId} null: owned by no user); false when the id is taken. */
    public static boolean create(Sql sql, String id, String userId, String title, String systemPrompt) {
        return sql.update(
                        "INSERT INTO sessions (id, user_id, title, system_prompt) VALUES (?, ?, ?, ?) "
                                + "ON CONFLICT (id) DO NOTHING",
                        id,
                        userId,
                        title,
                        systemPrompt)
                == 1;
    }

    public static Optional<Session> find(Sql sql, String id) {
        return sql.one("SELECT " + COLUMNS + " FROM sessions s WHERE s.id = ?", SessionStore::map, id);
    }

    public static List<Session> listForUser(Sql sql, String userId, int limit, int offset) {
        return sql.list(
                "SELECT " + COLUMNS + " FROM sessions s WHERE s.user_id = ? "
                        + "ORDER BY s.last_activity DESC, s.id LIMIT ? OFFSET ?",
                SessionStore::map,
                userId,
                limit,
                offset);
    }

    public static long countForUser(Sql sql, String userId) {
        return sql.one("SELECT count(*) AS n FROM sessions WHERE user_id = ?", r -> Rows.longValue(r, "n"), userId)
                .orElse(0L);
    }

    public static void updateTitle(Sql sql, String id, String title) {
        sql.update("UPDATE sessions SET title = ? WHERE id = ?", title, id);
    }

    /** Uses the first user message as the title of an untitled session. */
    public static void titleIfUntitled(Sql sql, String id, String text) {
        String title = text.strip();
        sql.update(
                "UPDATE sessions SET title = ? WHERE id = ? AND title IS NULL",
                title.length() > 500 ? title.substring(0, 500) : title,
                id);
    }

    public static void touch(Sql sql, String id) {
        sql.update("UPDATE sessions SET last_activity = now() WHERE id = ?", id);
    }

    /** The session's token ratio (provider count / estimate), empty before its first reported usage. */
    public static Optional<Double> tokenRatio(Sql sql, String id) {
        return sql.one(
                "SELECT token_ratio FROM sessions WHERE id = ? AND token_ratio IS NOT NULL",
                r -> r.column("token_ratio").get(Number.class).doubleValue(),
                id);
    }

    public static void setTokenRatio(Sql sql, String id, double ratio) {
        sql.update("UPDATE sessions SET token_ratio = ? WHERE id = ?", ratio, id);
    }

    public static boolean delete(Sql sql, String id) {
        return sql.update("DELETE FROM sessions WHERE id = ?", id) == 1;
    }

    private static Session map(DbRow r) {
        return new Session(
                Rows.text(r, "id"),
                Rows.text(r, "user_id"),
                Rows.text(r, "title"),
                Rows.text(r, "system_prompt"),
                AgentType.parse(Rows.text(r, "current_agent")).orElseThrow(),
                Rows.intValue(r, "switch_count"),
                Rows.utc(r, "created_at"),
                Rows.utc(r, "last_activity"),
                Rows.longValue(r, "message_count"));
    }
}
