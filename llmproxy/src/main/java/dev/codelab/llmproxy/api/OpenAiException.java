package dev.codelab.llmproxy.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A failure answered with an OpenAI error object {@code {"error":{"message","type","param","code"}}} and a real
 * HTTP status (plus {@code Retry-After} on 429).
 */
public class OpenAiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String code;
    private final String param;
    private final OptionalLong retryAfterSeconds;

    public OpenAiException(
            int status, String type, String code, String param, String message, OptionalLong retryAfterSeconds) {
        super(message);
        this.status = status;
        this.type = type;
        this.code = code;
        this.param = param;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public static OpenAiException invalidRequest(String param, String message) {
        return new OpenAiException(
                400, "invalid_request_error", "invalid_request", param, message, OptionalLong.empty());
    }

    public static OpenAiException invalidJson(String message) {
        return new OpenAiException(400, "invalid_request_error", "invalid_json", null, message, OptionalLong.empty());
    }

    public static OpenAiException tooLarge(long limit) {
        return new OpenAiException(
                413,
                "invalid_request_error",
                "request_too_large",
                null,
                "Request body exceeds " + limit + " bytes",
                OptionalLong.empty());
    }

    public static OpenAiException modelNotFound(String model) {
        return new OpenAiException(
                404,
                "invalid_request_error",
                "model_not_found",
                "model",
                "The model `" + model + "` does not exist",
                OptionalLong.empty());
    }

    public static OpenAiException unauthorized() {
        return new OpenAiException(
                401,
                "authentication_error",
                "invalid_api_key",
                null,
                "Missing or invalid X-Internal-Auth key",
                OptionalLong.empty());
    }

    public static OpenAiException busy(long retryAfterSeconds) {
        return new OpenAiException(
                429,
                "rate_limit_error",
                "rate_limit_exceeded",
                null,
                "Too many concurrent requests to the LLM proxy",
                OptionalLong.of(retryAfterSeconds));
    }

    /** A user over a hard budget limit (OpenAI's answer when an account is out of credit). */
    public static OpenAiException insufficientQuota(String message) {
        return new OpenAiException(
                429, "insufficient_quota", "insufficient_quota", null, message, OptionalLong.empty());
    }

    /** Usage metering is not configured, so there is no usage to report and no budget to keep. */
    public static OpenAiException meteringOff() {
        return new OpenAiException(
                503,
                "server_error",
                "metering_disabled",
                null,
                "Usage metering is off: the LLM proxy has no database (set LLM_PROXY__DB_URL)",
                OptionalLong.empty());
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public OptionalLong retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The wire body {@code {"error":{...}}}. */
    public Map<String, Object> body() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", getMessage());
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return Map.of("error", error);
    }
}
