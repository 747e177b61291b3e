package dev.codelab.agent.store;

import java.sql.Connection;
import java.time.OffsetDateTime;
import java.util.List;

import dev.codelab.agent.agents.AgentType;

/**
 * The {@code agent_switches} table and the session's current agent.
 */
public final class Switches {

    private Switches() {
    }

    public record Switch(String fromAgent, String toAgent, String reason, String confidence,
                         OffsetDateTime switchedAt) {
    }

    /** Makes {@code to} current and records the switch, in one transaction. */
    public static void record(Connection c, String sessionId, AgentType from, AgentType to, String reason,
                              String confidence) {
        Sql.inTransaction(c, () -> {
            Sql.update(c, "INSERT INTO agent_switches (session_id, from_agent, to_agent, reason, confidence) "
                    + "VALUES (?, ?, ?, ?, ?)", sessionId, from.id(), to.id(), reason, confidence);
            Sql.update(c, "UPDATE sessions SET current_agent = ?, switch_count = switch_count + 1 WHERE id = ?",
                    to.id(), sessionId);
            return null;
        });
    }

    public static List<Switch> history(Connection c, String sessionId) {
        return Sql.list(c, "SELECT from_agent, to_agent, reason, confidence, switched_at FROM agent_switches "
                        + "WHERE session_id = ? ORDER BY switched_at, id",
                r -> new Switch(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                        r.getObject(5, OffsetDateTime.class)), sessionId);
    }
}
