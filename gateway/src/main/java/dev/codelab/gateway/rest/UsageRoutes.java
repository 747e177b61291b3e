package dev.codelab.gateway.rest;

import dev.codelab.gateway.agent.AgentClient;
import dev.codelab.gateway.auth.Authenticator;
import dev.codelab.gateway.auth.TokenRejection;
import dev.codelab.shared.http.ApiException;
import dev.codelab.shared.http.RequestLog;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Usage and budgets (docs/gateway.md, "Usage and budgets"): {@code GET /usage} is the caller's own usage;
 * {@code GET /admin/usage/{user_id}} and {@code GET|PUT /admin/budgets/{user_id}} need {@code api:admin} on top of
 * the method's scope. The agent runtime forwards them to the LLM proxy, which meters every call; the caller's own
 * usage goes with {@code X-User-Id} (the agent then shows nothing else), the admin routes as the trusted service.
 */
final class UsageRoutes {

    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9._@:-]{1,128}");
    private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private final AgentClient agent;

    UsageRoutes(AgentClient agent) {
        this.agent = agent;
    }

    void register(HttpRules rules) {
        rules.get("/usage", this::own)
                .get("/admin/usage/{user_id}", this::ofUser)
                .get("/admin/budgets/{user_id}", (req, res) -> budget(req, res, "GET", null))
                .put(
                        "/admin/budgets/{user_id}",
                        (req, res) -> budget(
                                req,
                                res,
                                "PUT",
                                req.content().hasEntity() ? req.content().as(String.class) : ""));
    }

    private void own(ServerRequest req, ServerResponse res) {
        String caller = RestGuard.caller(req).subject();
        AgentRelay.relay(agent.send("GET", "/usage" + range(req), caller, RequestLog.idOf(req), null), res);
    }

    private void ofUser(ServerRequest req, ServerResponse res) {
        if (!isAdmin(req, res)) {
            return;
        }
        String query = range(req);
        String user = "user_id=" + AgentClient.encode(userId(req));
        AgentRelay.relay(
                agent.send(
                        "GET",
                        "/usage?" + user + (query.isEmpty() ? "" : "&" + query.substring(1)),
                        null,
                        RequestLog.idOf(req),
                        null),
                res);
    }

    private void budget(ServerRequest req, ServerResponse res, String method, String body) {
        if (!isAdmin(req, res)) {
            return;
        }
        AgentRelay.relay(
                agent.send(method, "/budgets/" + AgentClient.encode(userId(req)), null, RequestLog.idOf(req), body),
                res);
    }

    private static boolean isAdmin(ServerRequest req, ServerResponse res) {
        if (RestGuard.caller(req).hasScope(Authenticator.ADMIN_SCOPE)) {
            return true;
        }
        TokenRejection.insufficientScope(res, Authenticator.ADMIN_SCOPE);
        return false;
    }

    private static String userId(ServerRequest req) {
        String id = req.path().pathParameters().get("user_id");
        if (!USER_ID.matcher(id).matches()) {
            throw ApiException.badRequest(
                    "Malformed user id (allowed: [A-Za-z0-9._@:-]{1,128}, or 'default' for budgets)");
        }
        return id;
    }

    /** {@code ?from=&to=} as the client sent them, each a UTC day {@code YYYY-MM-DD}. */
    private static String range(ServerRequest req) {
        StringBuilder query = new StringBuilder();
        for (String name : new String[] {"from", "to"}) {
            Optional<String> value = req.query().first(name).asOptional();
            if (value.isPresent()) {
                if (!DAY.matcher(value.get()).matches()) {
                    throw ApiException.badRequest("Query parameter '" + name + "' must be a day like 2026-12-03");
                }
                query.append(query.isEmpty() ? '?' : '&')
                        .append(name)
                        .append('=')
                        .append(value.get());
            }
        }
        return query.toString();
    }
}
