package dev.codelab.gateway.ws;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A client frame as the gateway received and checked it ({@link FrameRules}): its type and the JSON passed on to the
 * agent as {@code message}, which parses it into a frame of its own.
 */
record InboundFrame(String type, ObjectNode json) {

    static final String USER_MESSAGE = "user_message";
    static final String TOOL_RESULT = "tool_result";
    static final String HITL_DECISION = "hitl_decision";
    static final String SWITCH_AGENT = "switch_agent";
    static final String CANCEL = "cancel";
    static final String CONDENSE = "condense";
    static final String CONTINUE = "continue";

    /** The {@code call_id} of a tool_result or hitl_decision, else {@code null}. */
    String callId() {
        return json.path("call_id").textValue();
    }

    /** Whether the frame starts work of its own (an LLM call), as a new turn does: refused while a turn runs. */
    boolean startsTurn() {
        return type.equals(USER_MESSAGE) || type.equals(CONDENSE) || type.equals(CONTINUE);
    }

    /** Whether the agent stops waiting for the call once this frame is accepted. */
    boolean answersCall() {
        return type.equals(TOOL_RESULT)
                || (type.equals(HITL_DECISION)
                        && "reject".equals(json.path("decision").textValue()));
    }
}
