package dev.codelab.agent.store;

import dev.codelab.agent.agents.AgentSwitch;
import dev.codelab.shared.db.Rows;
import dev.codelab.shared.db.Sql;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * The {@code agent_switches} table and the session's current agent.
 */
public final class Switches {

    private Switches() {}

    public record Switch(
            String fromAgent, String toAgent, String reason, String confidence, OffsetDateTime switchedAt) {}

    /** Makes the switch's {@code to} current and records the switch; callers run it in one transaction. */
    public static void record(Sql tx, String sessionId, AgentSwitch change) {
        tx.update(
                "INSERT INTO agent_switches (session_id, from_agent, to_agent, reason, confidence) "
                        + "VALUES (?, ?, ?, ?, ?)",
                sessionId,
                change.from().id(),
                change.to().id(),
                change.reason(),
                change.confidence().wire());
        tx.update(
                "UPDATE sessions SET current_agent = ?, switch_count = switch_count + 1 WHERE id = ?",
                change.to().id(),
                sessionId);
    }

    public static List<Switch> history(Sql sql, String sessionId) {
        return sql.list(
                "SELECT from_agent, to_agent, reason, confidence, switched_at FROM agent_switches "
                        + "WHERE session_id = ? ORDER BY switched_at, id",
                r -> new Switch(
                        Rows.text(r, "from_agent"),
                        Rows.text(r, "to_agent"),
                        Rows.text(r, "reason"),
                        Rows.text(r, "confidence"),
                        Rows.utc(r, "switched_at")),
                sessionId);
    }
}
