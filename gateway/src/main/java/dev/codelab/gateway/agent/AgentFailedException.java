package dev.codelab.gateway.agent;

import dev.codelab.shared.http.ApiException;
import io.helidon.http.Status;
import java.io.IOException;

/**
 * The agent runtime failed us: 502 when it answered wrongly, 503 when it cannot be reached, 504 when it was
 * too slow. Never 401 — the IDE would take that for an expired token.
 */
public final class AgentFailedException extends ApiException {

    private AgentFailedException(Status status, String code, String message) {
        super(status, code, message);
    }

    public static AgentFailedException badGateway() {
        return new AgentFailedException(
                Status.BAD_GATEWAY_502, "bad_gateway", "The agent runtime answered with an error");
    }

    public static AgentFailedException unavailable() {
        return new AgentFailedException(
                Status.SERVICE_UNAVAILABLE_503, "service_unavailable", "The agent runtime is unavailable");
    }

    public static AgentFailedException timeout() {
        return new AgentFailedException(
                Status.GATEWAY_TIMEOUT_504, "gateway_timeout", "The agent runtime did not answer in time");
    }

    /** The answer to a failure of {@link AgentClient}. */
    static AgentFailedException of(IOException e) {
        if (AgentClient.isTimeout(e)) {
            return timeout();
        }
        if (AgentClient.isConnectFailure(e)) {
            return unavailable();
        }
        return badGateway();
    }
}
