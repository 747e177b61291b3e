package dev.codelab.llmproxy.usage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.llmproxy.api.OpenAiException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A user's limits (null: none): US dollars and tokens per UTC day and per UTC month, and the share of a limit at
 * which the user is warned once.
 */
public record Budget(
        BigDecimal dailyUsd, BigDecimal monthlyUsd, Long dailyTokens, Long monthlyTokens, int softLimitPercent) {

    public static final int DEFAULT_SOFT_LIMIT_PERCENT = 80;

    /** The body of {@code PUT /v1/budgets/{user}}; every field optional, unknown fields refused. */
    static Budget parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw OpenAiException.invalidRequest(null, "The body must be a JSON object");
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!java.util.Set.of("daily_usd", "monthly_usd", "daily_tokens", "monthly_tokens", "soft_limit_percent")
                    .contains(name)) {
                throw OpenAiException.invalidRequest(name, "Unknown field '" + name + "'");
            }
        });
        JsonNode soft = body.get("soft_limit_percent");
        if (soft != null && !soft.isNull() && (!soft.isIntegralNumber() || soft.asInt() < 1 || soft.asInt() > 100)) {
            throw OpenAiException.invalidRequest(
                    "soft_limit_percent", "soft_limit_percent must be an integer from 1 to 100");
        }
        return new Budget(
                usd(body, "daily_usd"),
                usd(body, "monthly_usd"),
                tokens(body, "daily_tokens"),
                tokens(body, "monthly_tokens"),
                soft == null || soft.isNull() ? DEFAULT_SOFT_LIMIT_PERCENT : soft.asInt());
    }

    private static BigDecimal usd(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber() || value.decimalValue().signum() < 0) {
            throw OpenAiException.invalidRequest(field, field + " must be a non-negative number of US dollars or null");
        }
        return value.decimalValue();
    }

    private static Long tokens(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || value.asLong() < 0) {
            throw OpenAiException.invalidRequest(field, field + " must be a non-negative integer or null");
        }
        return value.asLong();
    }

    Map<String, Object> toJson(String userId) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("user_id", userId);
        json.put("daily_usd", dailyUsd);
        json.put("monthly_usd", monthlyUsd);
        json.put("daily_tokens", dailyTokens);
        json.put("monthly_tokens", monthlyTokens);
        json.put("soft_limit_percent", softLimitPercent);
        return json;
    }
}
