package dev.codelab.agent.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import dev.codelab.agent.agents.AgentType;

/**
 * The {@code sessions} table.
 */
public final class Sessions {

    private static final String COLUMNS = "s.id, s.user_id, s.title, s.system_prompt, s.current_agent, s.switch_count, "
            + "s.created_at, s.last_activity, (SELECT count(*) FROM messages m WHERE m.session_id = s.id) AS message_count";

    private Sessions() {
    }

    public record Session(String id, String userId, String title, String systemPrompt, AgentType currentAgent,
                          int switchCount, OffsetDateTime createdAt, OffsetDateTime lastActivity, long messageCount) {
    }

    /** Inserts a session; false when the id is taken. */
    public static boolean create(Connection c, String id, String userId, String title, String systemPrompt) {
        return Sql.update(c, "INSERT INTO sessions (id, user_id, title, system_prompt) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (id) DO NOTHING", id, userId, title, systemPrompt) == 1;
    }

    public static Optional<Session> find(Connection c, String id) {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM sessions s WHERE s.id = ?", Sessions::map, id);
    }

    /** The session if it exists and belongs to {@code userId}. */
    public static Optional<Session> findOwned(Connection c, String id, String userId) {
        return find(c, id).filter(s -> s.userId().equals(userId));
    }

    public static List<Session> listForUser(Connection c, String userId, int limit, int offset) {
        return Sql.list(c, "SELECT " + COLUMNS + " FROM sessions s WHERE s.user_id = ? "
                + "ORDER BY s.last_activity DESC, s.id LIMIT ? OFFSET ?", Sessions::map, userId, limit, offset);
    }

    public static long countForUser(Connection c, String userId) {
        return Sql.one(c, "SELECT count(*) FROM sessions WHERE user_id = ?", r -> r.getLong(1), userId).orElse(0L);
    }

    public static void updateTitle(Connection c, String id, String title) {
        Sql.update(c, "UPDATE sessions SET title = ? WHERE id = ?", title, id);
    }

    /** Uses the first user message as the title of an untitled session. */
    public static void titleIfUntitled(Connection c, String id, String text) {
        String title = text.strip();
        Sql.update(c, "UPDATE sessions SET title = ? WHERE id = ? AND title IS NULL",
                title.length() > 500 ? title.substring(0, 500) : title, id);
    }

    public static void touch(Connection c, String id) {
        Sql.update(c, "UPDATE sessions SET last_activity = now() WHERE id = ?", id);
    }

    public static boolean delete(Connection c, String id) {
        return Sql.update(c, "DELETE FROM sessions WHERE id = ?", id) == 1;
    }

    private static Session map(ResultSet r) throws SQLException {
        return new Session(r.getString("id"), r.getString("user_id"), r.getString("title"),
                r.getString("system_prompt"), AgentType.parse(r.getString("current_agent")).orElseThrow(),
                r.getInt("switch_count"), r.getObject("created_at", OffsetDateTime.class),
                r.getObject("last_activity", OffsetDateTime.class), r.getLong("message_count"));
    }
}
