package dev.codelab.gateway.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.gateway.agent.AgentClient;
import dev.codelab.gateway.agent.AgentClient.AgentResponse;
import dev.codelab.gateway.agent.SessionIds;
import dev.codelab.gateway.ws.SessionOwners;
import dev.codelab.gateway.ws.SocketRegistry;
import dev.codelab.shared.http.ApiException;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.http.RequestLog;
import dev.codelab.shared.jwt.AccessToken;
import dev.codelab.shared.server.Readiness;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The public REST API under {@code /api/v1} (gateway.md): guarded by {@link RestGuard}, each route forwarded
 * to the agent runtime with the caller's id; the agent checks ownership and answers 404 for other users'
 * sessions.
 */
public final class ApiService implements HttpService {

    private final RestGuard guard;
    private final Readiness health;
    private final AgentClient agent;
    private final AgentCatalog catalog;
    private final SessionOwners owners;
    private final SocketRegistry sockets;
    private final UsageRoutes usage;

    public ApiService(
            RestGuard guard, Readiness health, AgentClient agent, SessionOwners owners, SocketRegistry sockets) {
        this.guard = guard;
        this.health = health;
        this.agent = agent;
        this.catalog = new AgentCatalog(agent);
        this.owners = owners;
        this.sockets = sockets;
        this.usage = new UsageRoutes(agent);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(guard)
                .get("/health", health)
                .post("/sessions", this::createSession)
                .get("/sessions", this::listSessions)
                .get("/sessions/{id}", (req, res) -> forward(req, res, Method.GET, sessionPath(req, ""), null))
                .patch("/sessions/{id}", this::renameSession)
                .delete("/sessions/{id}", this::deleteSession)
                .get(
                        "/sessions/{id}/history",
                        (req, res) -> forward(
                                req,
                                res,
                                Method.GET,
                                sessionPath(req, "/history") + query(req, "limit", "before"),
                                null))
                .get(
                        "/sessions/{id}/pending-approvals",
                        (req, res) -> forward(req, res, Method.GET, sessionPath(req, "/pending-approvals"), null))
                .get(
                        "/sessions/{id}/agent",
                        (req, res) -> forward(req, res, Method.GET, sessionPath(req, "/agent"), null))
                .get(
                        "/agents",
                        (req, res) -> AgentRelay.relay(
                                catalog.agents(RestGuard.caller(req).subject(), RequestLog.idOf(req)), res));
        usage.register(rules);
    }

    private void createSession(ServerRequest req, ServerResponse res) {
        JsonNode body = optionalObject(req);
        Map<String, Object> upstream = new LinkedHashMap<>();
        copyString(body, "system_prompt", upstream);
        copyString(body, "title", upstream);
        AccessToken caller = RestGuard.caller(req);
        AgentResponse answer =
                agent.send("POST", "/sessions", caller.subject(), RequestLog.idOf(req), Json.write(upstream));
        if (answer.isSuccess()) {
            sessionIdOf(answer.body()).ifPresent(id -> owners.remember(id, caller.subject()));
        }
        AgentRelay.relay(answer, res);
    }

    private void listSessions(ServerRequest req, ServerResponse res) {
        String userQuery = "user_id=" + AgentClient.encode(RestGuard.caller(req).subject());
        String paging = query(req, "limit", "offset");
        forward(
                req,
                res,
                Method.GET,
                "/sessions?" + userQuery + (paging.isEmpty() ? "" : "&" + paging.substring(1)),
                null);
    }

    private void renameSession(ServerRequest req, ServerResponse res) {
        JsonNode body = optionalObject(req);
        if (!body.path("title").isTextual()) {
            throw ApiException.badRequest("Field 'title' (string) is required");
        }
        forward(
                req,
                res,
                Method.PATCH,
                sessionPath(req, ""),
                Json.write(Map.of("title", body.get("title").asText())));
    }

    private void deleteSession(ServerRequest req, ServerResponse res) {
        String id = sessionId(req);
        AgentResponse answer =
                agent.send("DELETE", sessionPath(req, ""), RestGuard.caller(req).subject(), RequestLog.idOf(req), null);
        if (answer.isSuccess()) {
            sockets.closeSession(id);
            owners.forget(id);
        }
        AgentRelay.relay(answer, res);
    }

    private void forward(ServerRequest req, ServerResponse res, Method method, String pathAndQuery, String body) {
        AgentRelay.relay(
                agent.send(method.text(), pathAndQuery, RestGuard.caller(req).subject(), RequestLog.idOf(req), body),
                res);
    }

    private static String sessionPath(ServerRequest req, String suffix) {
        return "/sessions/" + sessionId(req) + suffix;
    }

    private static String sessionId(ServerRequest req) {
        String id = req.path().pathParameters().get("id");
        if (!SessionIds.isValid(id)) {
            throw ApiException.badRequest("Malformed session id (allowed: [A-Za-z0-9._-]{1,128})");
        }
        return id;
    }

    /** {@code ?a=1&b=2} of the named parameters the client sent, each a non-negative integer or ISO text. */
    private static String query(ServerRequest req, String... names) {
        StringBuilder query = new StringBuilder();
        for (String name : names) {
            Optional<String> value = req.query().first(name).asOptional();
            if (value.isPresent()) {
                if (!name.equals("before") && !value.get().matches("\\d{1,9}")) {
                    throw ApiException.badRequest("Query parameter '" + name + "' must be a non-negative integer");
                }
                query.append(query.isEmpty() ? '?' : '&')
                        .append(name)
                        .append('=')
                        .append(AgentClient.encode(value.get()));
            }
        }
        return query.toString();
    }

    private static JsonNode optionalObject(ServerRequest req) {
        String text = req.content().hasEntity() ? req.content().as(String.class) : "";
        if (text.isBlank()) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            JsonNode node = Json.read(text);
            if (node == null || !node.isObject()) {
                throw ApiException.badRequest("The body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw ApiException.badRequest("The body is not valid JSON");
        }
    }

    private static void copyString(JsonNode body, String field, Map<String, Object> target) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return;
        }
        if (!value.isTextual()) {
            throw ApiException.badRequest("Field '" + field + "' must be a string");
        }
        target.put(field, value.asText());
    }

    private static Optional<String> sessionIdOf(String body) {
        try {
            JsonNode node = Json.read(body);
            return Optional.ofNullable(node.path("session_id").textValue());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
