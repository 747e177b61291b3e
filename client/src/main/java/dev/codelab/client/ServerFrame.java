package dev.codelab.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * A frame the gateway sends over the session WebSocket (protocol 2). Every frame carries {@code seq}, strictly
 * increasing per session from 1; a frame without one (never sent by a conforming server) has seq 0.
 */
public sealed interface ServerFrame {

    /** The frame's sequence number in its session. */
    long seq();

    /** Parses one text frame. A frame whose {@code type} this library does not know becomes {@link Unknown}. */
    static ServerFrame parse(String text) {
        JsonNode json;
        try {
            json = ApiJson.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("Server frame is not JSON: " + e.getMessage(), e);
        }
        long seq = json.path("seq").asLong(0);
        String type = json.path("type").asText("");
        return switch (type) {
            case "agent_switched" ->
                new AgentSwitched(
                        seq,
                        text(json, "from_agent"),
                        text(json, "to_agent"),
                        text(json, "reason"),
                        text(json, "confidence"));
            case "assistant_message" ->
                new AssistantMessage(
                        seq,
                        json.path("token").asText(""),
                        json.path("is_final").asBoolean(false),
                        text(json, "content"),
                        text(json, "agent_name"));
            case "tool_call" ->
                new ToolCall(
                        seq,
                        text(json, "call_id"),
                        text(json, "tool_name"),
                        json.path("arguments").isObject() ? json.get("arguments") : ApiJson.MAPPER.createObjectNode(),
                        json.path("requires_approval").asBoolean(false),
                        text(json, "reason"),
                        text(json, "agent_name"),
                        text(json, "diff"));
            case "done" ->
                new Done(seq, text(json, "reason"), json.path("resumable").asBoolean(false));
            case "context_condensed" ->
                new ContextCondensed(
                        seq,
                        text(json, "trigger"),
                        text(json, "method"),
                        json.path("tokens_before").asInt(0),
                        json.path("tokens_after").asInt(0),
                        json.path("messages_summarised").asInt(0),
                        text(json, "content"));
            case "error" ->
                new Error(
                        seq,
                        text(json, "content"),
                        text(json, "error_code"),
                        json.path("retry_after").isNumber()
                                ? json.get("retry_after").asInt()
                                : null,
                        text(json, "call_id"));
            case "usage_warning" ->
                new UsageWarning(seq, text(json, "content"), text(json, "limit"), text(json, "resets_at"));
            default -> new Unknown(seq, type, json);
        };
    }

    private static String text(JsonNode json, String field) {
        return json.path(field).isValueNode() && !json.path(field).isNull()
                ? json.get(field).asText()
                : null;
    }

    /**
     * The user passed the soft limit of their budget (once per limit and period); the turn goes on.
     *
     * @param limit    {@code daily_usd}, {@code monthly_usd}, {@code daily_tokens} or {@code monthly_tokens}
     * @param resetsAt when the limit's period ends (ISO-8601, UTC)
     */
    record UsageWarning(long seq, String content, String limit, String resetsAt) implements ServerFrame {}

    /** The session's current agent changed (routing, hand-off or {@code switch_agent}). */
    record AgentSwitched(long seq, String fromAgent, String toAgent, String reason, String confidence)
            implements ServerFrame {}

    /**
     * Streamed text. {@code token} is the new delta; the last frame of a message has {@code isFinal} and
     * {@code content} = the whole message.
     */
    record AssistantMessage(long seq, String token, boolean isFinal, String content, String agentName)
            implements ServerFrame {}

    /**
     * The agent asks the client to run a tool. When {@code requiresApproval}, answer with a {@code hitl_decision}
     * (or a {@code tool_result}); otherwise run it and answer with {@code tool_result}. {@code diff} is the unified
     * diff of a file change (an {@code edit_file}, or a {@code write_file} whose old content the agent knows), else
     * {@code null}.
     */
    record ToolCall(
            long seq,
            String callId,
            String toolName,
            JsonNode arguments,
            boolean requiresApproval,
            String reason,
            String agentName,
            String diff)
            implements ServerFrame {}

    /**
     * The agent stopped and waits for the next client frame. {@code resumable}: the model failed in this turn
     * ({@code reason} {@code error}); {@link ChatConnection#continueTurn()} resumes it.
     */
    record Done(long seq, String reason, boolean resumable) implements ServerFrame {

        /** A done that cannot be continued. */
        public Done(long seq, String reason) {
            this(seq, reason, false);
        }

        /** Reason of a finished turn. */
        public static final String COMPLETED = "completed";
        /** Reason when a tool result is expected. */
        public static final String AWAITING_TOOL = "awaiting_tool";
        /** Reason when an approval is expected. */
        public static final String AWAITING_APPROVAL = "awaiting_approval";
        /** Reason after {@code cancel}. */
        public static final String CANCELLED = "cancelled";
        /** Reason when the turn used its step budget. */
        public static final String STEP_LIMIT = "step_limit";
        /** Reason after an error. */
        public static final String ERROR = "error";

        /** Whether the turn is over (the agent waits for a new user message, not for a tool or approval). */
        public boolean endsTurn() {
            return !AWAITING_TOOL.equals(reason) && !AWAITING_APPROVAL.equals(reason);
        }
    }

    /**
     * The session's context was condensed ({@code trigger} {@code auto}, or {@code manual} after
     * {@link ChatConnection#condense()}): {@code method} {@code summary} replaced {@code messagesSummarised} older
     * messages by a summary; {@code trimmed} means the summary failed and {@code content} says why (the oldest
     * messages are left out instead). Token counts are the server's estimates.
     */
    record ContextCondensed(
            long seq,
            String trigger,
            String method,
            int tokensBefore,
            int tokensAfter,
            int messagesSummarised,
            String content)
            implements ServerFrame {}

    /** A problem; the socket stays open. {@code retryAfter} (seconds) and {@code callId} may be {@code null}. */
    record Error(long seq, String content, String errorCode, Integer retryAfter, String callId)
            implements ServerFrame {}

    /** A frame type this library does not know (kept whole, for forward compatibility). */
    record Unknown(long seq, String type, JsonNode json) implements ServerFrame {}
}
