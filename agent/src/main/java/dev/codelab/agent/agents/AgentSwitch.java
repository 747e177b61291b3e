package dev.codelab.agent.agents;

/** A change of the session's current agent: recorded in {@code agent_switches} and sent as {@code agent_switched}. */
public record AgentSwitch(AgentType from, AgentType to, String reason, Confidence confidence) {

    /** A switch the user asked for, or a handoff the model made: both are certain. */
    public static AgentSwitch certain(AgentType from, AgentType to, String reason) {
        return new AgentSwitch(from, to, reason, Confidence.HIGH);
    }
}
