package dev.codelab.agent.llm;

import dev.codelab.shared.http.RequestLog;
import java.net.http.HttpRequest;

/**
 * Whom an LLM call is for, told to the LLM proxy in headers so that it meters the call for that user, session and
 * agent ({@code X-User-Id}, {@code X-Session-Id}, {@code X-Agent-Name}) and keeps the user's budget.
 *
 * @param requestId the caller's request id (propagated as {@code X-Request-Id}); may be null
 * @param userId    the user the turn runs for; null for a trusted service's own turn (metered as the service)
 * @param sessionId the session; may be null
 * @param agent     the agent that makes the call; may be null
 */
public record LlmCall(String requestId, String userId, String sessionId, String agent) {

    /** A call for no user, session or agent (tests, the service itself). */
    public static LlmCall anonymous(String requestId) {
        return new LlmCall(requestId, null, null, null);
    }

    void addHeaders(HttpRequest.Builder request) {
        if (requestId != null) {
            request.header(RequestLog.HEADER.defaultCase(), requestId);
        }
        if (userId != null) {
            request.header("X-User-Id", userId);
        }
        if (sessionId != null) {
            request.header("X-Session-Id", sessionId);
        }
        if (agent != null) {
            request.header("X-Agent-Name", agent);
        }
    }
}
