package dev.codelab.agent.turn;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.agent.agents.AgentSwitch;
import dev.codelab.agent.agents.AgentType;
import dev.codelab.agent.context.CondenseTrigger;
import dev.codelab.agent.tools.ToolCall;
import dev.codelab.shared.http.Json;

/**
 * The server events of docs/protocol.md, without {@code seq}.
 */
public final class Events {

    private Events() {}

    public static ObjectNode agentSwitched(AgentSwitch change) {
        ObjectNode event = typed("agent_switched");
        ObjectNode metadata = Json.MAPPER.createObjectNode();
        metadata.put("from_agent", change.from().id());
        metadata.put("to_agent", change.to().id());
        metadata.put("reason", change.reason());
        metadata.put("confidence", change.confidence().wire());
        event.setAll(metadata);
        event.set("metadata", metadata);
        return event;
    }

    public static ObjectNode token(String token, AgentType agent) {
        ObjectNode event = typed("assistant_message");
        event.put("token", token);
        event.put("is_final", false);
        event.put("agent_name", agent.id());
        return event;
    }

    /** The frame that ends a message: the last token (possibly empty) and the whole text. */
    public static ObjectNode finalMessage(String token, String content, AgentType agent) {
        ObjectNode event = typed("assistant_message");
        event.put("token", token);
        event.put("is_final", true);
        event.put("content", content);
        event.put("agent_name", agent.id());
        return event;
    }

    /**
     * A call for the IDE to run now. {@code diff}: the unified diff of a file write, or {@code null} when the
     * runtime has none.
     */
    public static ObjectNode toolCall(ToolCall call, AgentType agent, String diff) {
        return toolCall(call, null, agent, diff);
    }

    /** A call the IDE runs only once the user approves it, for {@code reason} (the approval policy's). */
    public static ObjectNode toolCallAskingApproval(ToolCall call, String reason, AgentType agent, String diff) {
        return toolCall(call, reason, agent, diff);
    }

    private static ObjectNode toolCall(ToolCall call, String approvalReason, AgentType agent, String diff) {
        ObjectNode event = typed("tool_call");
        event.put("call_id", call.id());
        event.put("tool_name", call.name());
        event.set("arguments", call.arguments());
        if (diff != null) {
            event.put("diff", diff);
        }
        event.put("requires_approval", approvalReason != null);
        if (approvalReason != null) {
            event.put("reason", approvalReason);
        }
        event.put("agent_name", agent.id());
        return event;
    }

    public static ObjectNode error(String content, ErrorCode code) {
        ObjectNode event = typed("error");
        event.put("content", content);
        event.put("error_code", code.wire());
        return event;
    }

    /** The soft budget limit is reached: sent once per limit and period, before the turn's first LLM call. */
    public static ObjectNode usageWarning(String content, String limit, String resetsAt) {
        ObjectNode event = typed("usage_warning");
        event.put("content", content);
        event.put("limit", limit);
        event.put("resets_at", resetsAt);
        return event;
    }

    /**
     * The prompt was condensed ({@code trigger} {@code auto} or {@code manual}): a summary replaced
     * {@code messagesSummarised} messages, or, when {@code failure} is set, it could not be written and the
     * prompt is trimmed as before ({@code method} {@code trimmed}). Token counts are the runtime's estimates.
     */
    public static ObjectNode contextCondensed(
            CondenseTrigger trigger, int tokensBefore, int tokensAfter, int messagesSummarised, String failure) {
        ObjectNode event = typed("context_condensed");
        event.put("trigger", trigger.wire());
        event.put("method", failure == null ? "summary" : "trimmed");
        event.put("tokens_before", tokensBefore);
        event.put("tokens_after", tokensAfter);
        event.put("messages_summarised", messagesSummarised);
        if (failure != null) {
            event.put("content", failure);
        }
        return event;
    }

    public static ObjectNode done(DoneReason reason) {
        ObjectNode event = typed("done");
        event.put("reason", reason.wire());
        return event;
    }

    /** The end of a turn the model failed; {@code continue} resumes it. */
    public static ObjectNode resumableError() {
        return done(DoneReason.ERROR).put("resumable", true);
    }

    private static ObjectNode typed(String type) {
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("type", type);
        return event;
    }
}
