package dev.codelab.agent.usage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.http.ApiException;
import dev.codelab.shared.http.ErrorBodies;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.http.RequestLog;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /usage?user_id=&from=&to=} and {@code GET|PUT /budgets/{user_id}}, forwarded to the LLM proxy, which
 * meters every call. A caller acting for a user ({@code X-User-Id}) sees only that user's usage and may not touch
 * budgets; a trusted service (the gateway's admin routes, after their {@code api:admin} check) may do both for any
 * user. The proxy's OpenAI-style errors come back in the REST shape {@code {"error","message","details"}}.
 */
public final class UsageService implements HttpService {

    private static final HeaderName USER_HEADER = HeaderNames.create("X-User-Id");

    private final UsageProxy proxy;

    public UsageService(UsageProxy proxy) {
        this.proxy = proxy;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/usage", this::usage)
                .get("/budgets/{user}", (req, res) -> budget(req, res, "GET", null))
                .put(
                        "/budgets/{user}",
                        (req, res) -> budget(
                                req,
                                res,
                                "PUT",
                                req.content().hasEntity() ? req.content().as(String.class) : ""));
    }

    private void usage(ServerRequest req, ServerResponse res) {
        Optional<String> actingFor = req.headers().first(USER_HEADER);
        String user = actingFor
                .or(() -> req.query().first("user_id").asOptional())
                .orElseThrow(() -> new ApiException(Status.BAD_REQUEST_400, "missing_field", "user_id is required"));
        StringBuilder query = new StringBuilder("/v1/usage?user=").append(UsageProxy.encode(user));
        for (String name : new String[] {"from", "to"}) {
            req.query()
                    .first(name)
                    .asOptional()
                    .ifPresent(v -> query.append('&').append(name).append('=').append(UsageProxy.encode(v)));
        }
        relay(proxy.send("GET", query.toString(), null, RequestLog.idOf(req)), res);
    }

    private void budget(ServerRequest req, ServerResponse res, String method, String body) {
        if (req.headers().contains(USER_HEADER)) {
            throw new ApiException(Status.FORBIDDEN_403, "forbidden", "Budgets are managed by administrators only");
        }
        String user = req.path().pathParameters().get("user");
        relay(proxy.send(method, "/v1/budgets/" + UsageProxy.encode(user), body, RequestLog.idOf(req)), res);
    }

    private static void relay(UsageProxy.Answer answer, ServerResponse res) {
        if (answer.status() == 200) {
            res.status(Status.OK_200);
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(answer.body());
            return;
        }
        JsonNode error = openAiError(answer.body());
        Map<String, Object> details = new LinkedHashMap<>();
        if (error.path("param").isTextual()) {
            details.put("field", error.get("param").asText());
        }
        String code =
                answer.status() == 400 ? "invalid_field" : error.path("code").asText("llm_proxy_error");
        int status = answer.status() == 400 || answer.status() == 503 ? answer.status() : 502;
        ErrorBodies.send(
                res, Status.create(status), code, error.path("message").asText("The LLM proxy failed"), details);
    }

    private static JsonNode openAiError(String body) {
        try {
            return Json.read(body).path("error");
        } catch (IOException e) {
            return Json.MAPPER.createObjectNode();
        }
    }
}
