package dev.codelab.llmproxy.usage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.llmproxy.api.OpenAiException;
import dev.codelab.shared.http.Json;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/usage?user=&from=&to=}, {@code GET|PUT /v1/budgets/{user}} ({@code default}: every user without
 * a budget of their own) and {@code GET /v1/budget/status?user=}. Internal: the agent runtime forwards the
 * gateway's usage and admin routes here, after the gateway checked who may see what.
 */
final class UsageHandlers {

    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9._@:-]{1,128}");
    private static final long MAX_DAYS = 366;

    private final Metering metering;

    UsageHandlers(Metering metering) {
        this.metering = metering;
    }

    void register(HttpRouting.Builder routing) {
        routing.get("/v1/usage", this::usage)
                .get("/v1/budgets/{user}", this::getBudget)
                .put("/v1/budgets/{user}", this::putBudget)
                .get("/v1/budget/status", this::status);
    }

    private void usage(ServerRequest req, ServerResponse res) {
        String user = user(req.query().first("user").asOptional(), "user");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate from = date(req, "from").orElse(today.withDayOfMonth(1));
        LocalDate to = date(req, "to").orElse(today);
        if (to.isBefore(from) || ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
            throw OpenAiException.invalidRequest(
                    "to", "to must be on or after from, and at most " + MAX_DAYS + " days later");
        }
        Json.send(res, Status.OK_200, metering.store().report(user, from, to).toJson());
    }

    private void getBudget(ServerRequest req, ServerResponse res) {
        String user = user(req.path().pathParameters().first("user").asOptional(), "user");
        UsageStore store = metering.store();
        Optional<Budget> own = store.budget(user);
        Optional<Budget> effective = own.or(() ->
                user.equals(UsageStore.DEFAULT_BUDGET) ? Optional.empty() : store.budget(UsageStore.DEFAULT_BUDGET));
        Map<String, Object> body = new LinkedHashMap<>(effective
                .orElse(new Budget(null, null, null, null, Budget.DEFAULT_SOFT_LIMIT_PERCENT))
                .toJson(user));
        body.put("source", own.isPresent() ? "own" : effective.isPresent() ? "default" : "none");
        Json.send(res, Status.OK_200, body);
    }

    private void putBudget(ServerRequest req, ServerResponse res) {
        String user = user(req.path().pathParameters().first("user").asOptional(), "user");
        Budget budget = Budget.parse(body(req));
        metering.putBudget(user, budget);
        Map<String, Object> body = new LinkedHashMap<>(budget.toJson(user));
        body.put("source", "own");
        Json.send(res, Status.OK_200, body);
    }

    private void status(ServerRequest req, ServerResponse res) {
        String user = user(req.query().first("user").asOptional(), "user");
        metering.store();
        Json.send(
                res,
                Status.OK_200,
                metering.status(new CallTags(user, null, null)).toJson());
    }

    private static String user(Optional<String> value, String param) {
        if (value.isEmpty() || !USER_ID.matcher(value.get()).matches()) {
            throw OpenAiException.invalidRequest(param, "A user id ([A-Za-z0-9._@:-]{1,128}) is required");
        }
        return value.get();
    }

    private static Optional<LocalDate> date(ServerRequest req, String param) {
        Optional<String> value = req.query().first(param).asOptional();
        try {
            return value.map(LocalDate::parse);
        } catch (DateTimeParseException e) {
            throw OpenAiException.invalidRequest(param, param + " must be a date like 2026-12-03");
        }
    }

    private static JsonNode body(ServerRequest req) {
        try {
            return Json.read(req.content().hasEntity() ? req.content().as(String.class) : "");
        } catch (IOException e) {
            throw OpenAiException.invalidJson("The body is not valid JSON");
        }
    }
}
