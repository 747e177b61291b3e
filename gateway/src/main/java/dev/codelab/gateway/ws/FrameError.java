package dev.codelab.gateway.ws;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.codelab.shared.http.Json;

/**
 * An {@code error} frame of docs/protocol.md: human text, one of the codes of its section 4, optionally the call it is
 * about or when to retry.
 */
record FrameError(String code, String content, String callId, Long retryAfter) {

    static final String INVALID_FORMAT = "INVALID_FORMAT";
    static final String INVALID_TYPE = "INVALID_TYPE";
    static final String MISSING_FIELD = "MISSING_FIELD";
    static final String INVALID_FIELD = "INVALID_FIELD";
    static final String INVALID_CALL_ID = "INVALID_CALL_ID";
    static final String TURN_IN_PROGRESS = "TURN_IN_PROGRESS";
    static final String RATE_LIMIT_EXCEEDED = "RATE_LIMIT_EXCEEDED";
    static final String AGENT_UNAVAILABLE = "AGENT_UNAVAILABLE";
    static final String AGENT_ERROR = "AGENT_ERROR";
    static final String SESSION_NOT_FOUND = "SESSION_NOT_FOUND";
    static final String NOTHING_TO_CONDENSE = "NOTHING_TO_CONDENSE";
    static final String NOTHING_TO_CONTINUE = "NOTHING_TO_CONTINUE";

    static FrameError of(String code, String content) {
        return new FrameError(code, content, null, null);
    }

    ObjectNode toJson() {
        ObjectNode frame = Json.MAPPER.createObjectNode();
        frame.put("type", "error");
        frame.put("content", content);
        frame.put("error_code", code);
        if (retryAfter != null) {
            frame.put("retry_after", retryAfter);
        }
        if (callId != null) {
            frame.put("call_id", callId);
        }
        return frame;
    }
}
