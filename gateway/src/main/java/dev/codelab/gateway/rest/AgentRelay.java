package dev.codelab.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.gateway.agent.AgentClient.AgentResponse;
import dev.codelab.gateway.agent.AgentFailedException;
import dev.codelab.shared.http.ErrorBodies;
import dev.codelab.shared.http.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.Set;

/**
 * Passes the agent's answer on: success bodies unchanged, the client errors the agent is entitled to give
 * (400, 404, 409, 422) with its body when that body has our error shape, and everything else — its 401/403
 * (a key mismatch between services), 5xx, garbage — as 502. Its 503 with our error shape (its database is
 * down) stays a 503: the outage is temporary and docs/reliability.md promises the client a 503 for it.
 */
final class AgentRelay {

    private static final Set<Integer> CLIENT_ERRORS = Set.of(400, 404, 409, 422);

    private AgentRelay() {}

    static void relay(AgentResponse answer, ServerResponse res) {
        if (answer.status() == 204) {
            res.status(Status.NO_CONTENT_204).send();
            return;
        }
        if (answer.isSuccess()) {
            passOn(answer, res);
            return;
        }
        if (CLIENT_ERRORS.contains(answer.status())) {
            Status status = Status.create(answer.status());
            if (hasErrorShape(answer.body())) {
                passOn(answer, res);
            } else if (answer.status() == 404) {
                ErrorBodies.send(res, status, "not_found", "Session not found");
            } else {
                ErrorBodies.send(res, status, "invalid_request", "The agent runtime refused the request");
            }
            return;
        }
        if (answer.status() == 503 && hasErrorShape(answer.body())) {
            passOn(answer, res);
            return;
        }
        throw AgentFailedException.badGateway();
    }

    /** The agent's JSON answer with its status, unchanged. */
    private static void passOn(AgentResponse answer, ServerResponse res) {
        res.status(Status.create(answer.status()));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(answer.body());
    }

    private static boolean hasErrorShape(String body) {
        try {
            JsonNode node = Json.read(body == null ? "" : body);
            return node != null && node.isObject() && node.path("error").isTextual();
        } catch (IOException e) {
            return false;
        }
    }
}
