package dev.codelab.llmproxy.usage;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

/**
 * Who an LLM call is for, as its caller says in headers: the agent runtime sends the user it acts for
 * ({@code X-User-Id}), the session ({@code X-Session-Id}) and the agent ({@code X-Agent-Name}). A call without a
 * user is the calling service's own and is metered as {@link #SERVICE}; budgets do not apply to it.
 */
public record CallTags(String userId, String sessionId, String agent) {

    /** The user of calls that name none (direct internal calls). */
    public static final String SERVICE = "service";

    public static final HeaderName USER_ID = HeaderNames.create("X-User-Id");
    public static final HeaderName SESSION_ID = HeaderNames.create("X-Session-Id");
    public static final HeaderName AGENT_NAME = HeaderNames.create("X-Agent-Name");

    public static CallTags of(ServerRequest req) {
        String user = req.headers().first(USER_ID).filter(v -> !v.isBlank()).orElse(SERVICE);
        return new CallTags(
                user,
                req.headers().first(SESSION_ID).orElse(null),
                req.headers().first(AGENT_NAME).orElse(null));
    }

    public boolean isService() {
        return userId.equals(SERVICE);
    }
}
