package dev.codelab.llmproxy.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.llmproxy.api.OpenAiException;
import dev.codelab.shared.hop.HopException;
import dev.codelab.shared.http.Json;
import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;

/**
 * A provider call that failed, already mapped to the status the caller sees, and marked with what the router
 * may do about it: retry the same deployment, or move on to the next deployment and the fallbacks.
 */
public final class ProviderException extends OpenAiException {

    private static final int MAX_ERROR_BODY = 4096;

    private final boolean retryable;
    private final boolean failover;

    private ProviderException(
            int status,
            String type,
            String code,
            String message,
            OptionalLong retryAfter,
            boolean retryable,
            boolean failover) {
        super(status, type, code, null, message, retryAfter);
        this.retryable = retryable;
        this.failover = failover;
    }

    /** Maps a provider's HTTP error status (Anthropic's 529 included) to the proxy's answer. */
    public static ProviderException fromStatus(String provider, int status, String message, OptionalLong retryAfter) {
        String text = provider + " answered " + status + ": " + message;
        return switch (status) {
            case 400, 422 ->
                new ProviderException(
                        400, "invalid_request_error", "invalid_request", text, OptionalLong.empty(), false, false);
            case 401, 403 ->
                new ProviderException(
                        502,
                        "provider_error",
                        "provider_auth_failed",
                        provider + " rejected the proxy's credentials (" + status + "): " + message,
                        OptionalLong.empty(),
                        false,
                        true);
            case 402 ->
                new ProviderException(
                        402, "insufficient_quota", "insufficient_quota", text, OptionalLong.empty(), false, true);
            case 404 ->
                new ProviderException(
                        404, "invalid_request_error", "model_not_found", text, OptionalLong.empty(), false, true);
            case 408, 504 -> new ProviderException(504, "timeout", "timeout", text, OptionalLong.empty(), true, true);
            case 413 ->
                new ProviderException(
                        413, "invalid_request_error", "request_too_large", text, OptionalLong.empty(), false, false);
            case 429 ->
                new ProviderException(
                        429,
                        "rate_limit_error",
                        "rate_limit_exceeded",
                        text,
                        OptionalLong.of(retryAfter.orElse(1)),
                        true,
                        true);
            case 503, 529 ->
                new ProviderException(
                        503, "provider_unavailable", "provider_unavailable", text, retryAfter, true, true);
            default ->
                new ProviderException(502, "provider_error", "provider_error", text, retryAfter, status >= 500, true);
        };
    }

    /** Anthropic reports some failures as an {@code error} event inside a 200 stream; map its type to a status. */
    public static ProviderException fromAnthropicErrorType(String type, String message) {
        int status = switch (type) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case "overloaded_error" -> 529;
            default -> 500;
        };
        return fromStatus("anthropic", status, message, OptionalLong.empty());
    }

    /**
     * A provider call that got no answer, or no complete one: unreachable (503), too slow (504, {@code late} says
     * what was), or broken (502, {@code broken} says what broke). The cause names the call.
     */
    public static ProviderException transport(String provider, HopException cause, String late, String broken) {
        ProviderException failure = switch (cause.kind()) {
            case UNREACHABLE ->
                new ProviderException(
                        503,
                        "provider_unavailable",
                        "provider_unavailable",
                        provider + " is unreachable: " + cause.reason(),
                        OptionalLong.empty(),
                        true,
                        true);
            case TIMEOUT -> timeout(provider, late);
            case ABORTED, BROKEN -> broken(provider, broken + ": " + cause.reason());
        };
        failure.initCause(cause);
        return failure;
    }

    public static ProviderException timeout(String provider, String what) {
        return new ProviderException(
                504, "timeout", "timeout", provider + " timed out: " + what, OptionalLong.empty(), false, true);
    }

    /** The connection broke or the provider sent something that is not its protocol. */
    public static ProviderException broken(String provider, String what) {
        return new ProviderException(
                502, "provider_error", "provider_error", provider + ": " + what, OptionalLong.empty(), true, true);
    }

    /** The model's provider needs {@code variable}, which the proxy's environment does not set. */
    public static ProviderException missingKey(String alias, String variable) {
        return new ProviderException(
                503,
                "provider_unavailable",
                "provider_unavailable",
                "Model " + alias + " is unavailable: its provider needs the environment variable " + variable
                        + ", which is not set for the LLM proxy",
                OptionalLong.empty(),
                false,
                false);
    }

    /**
     * The prompt is longer than the context window of the model and of each of its fallbacks
     * ({@code windows}: "alias (tokens)", in the order they would have been tried).
     */
    public static ProviderException promptTooLong(int promptTokens, List<String> windows) {
        return new ProviderException(
                400,
                "invalid_request_error",
                "context_length_exceeded",
                "The prompt (about " + promptTokens + " tokens) is longer than the context window of every model "
                        + "that could serve it: " + String.join(", ", windows),
                OptionalLong.empty(),
                false,
                false);
    }

    /** No deployment of the model could be tried (missing keys, or all resting after failures). */
    public static ProviderException noDeployment(String alias) {
        return new ProviderException(
                503,
                "provider_unavailable",
                "provider_unavailable",
                "No deployment of model " + alias
                        + " is available (missing provider key or cooling down after failures)",
                OptionalLong.of(30),
                false,
                true);
    }

    /** The message of an OpenAI, Anthropic or Ollama error body, or the body itself (shortened). */
    static String messageOf(String body) {
        try {
            JsonNode error = Json.read(body).path("error");
            if (error.isTextual()) {
                return error.asText();
            }
            if (error.path("message").isTextual()) {
                return error.path("message").asText();
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: fall through to the raw text
        }
        String text = body == null ? "" : body.strip();
        return text.length() > MAX_ERROR_BODY ? text.substring(0, MAX_ERROR_BODY) : text;
    }

    public boolean retryable() {
        return retryable;
    }

    public boolean failover() {
        return failover;
    }
}
