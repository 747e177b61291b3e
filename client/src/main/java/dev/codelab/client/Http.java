package dev.codelab.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/** Sends requests with the JDK client and turns transport failures and error answers into {@link CodeLabException}. */
final class Http {

    private final HttpClient client;

    Http(HttpClient client) {
        this.client = client;
    }

    HttpClient client() {
        return client;
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CodeLabException("unreachable", "Cannot reach " + request.uri() + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CodeLabException("interrupted", "Interrupted while calling " + request.uri(), e);
        }
    }

    /** A failure's message, or its type when it has none (a refused connection has none). */
    static String describe(Throwable failure) {
        return failure.getMessage() != null
                ? failure.getMessage()
                : failure.getClass().getSimpleName();
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /**
     * The documented error body of a failed answer (API or OAuth shape), or the status line when the body is not JSON.
     */
    static CodeLabException failure(HttpResponse<String> response) {
        JsonNode body = parseQuietly(response.body());
        String error = body.path("error").isTextual() ? body.path("error").asText() : "http_" + response.statusCode();
        String message = firstText(body, "message", "error_description");
        Integer retryAfter = body.path("retry_after").isNumber()
                ? Integer.valueOf(body.path("retry_after").asInt())
                : response.headers()
                        .firstValue("Retry-After")
                        .map(Http::parseIntOrNull)
                        .orElse(null);
        return new CodeLabException(
                response.statusCode(),
                error,
                message != null ? message : "HTTP " + response.statusCode() + " from " + response.uri(),
                retryAfter);
    }

    private static String firstText(JsonNode body, String... fields) {
        for (String field : fields) {
            if (body.path(field).isTextual()) {
                return body.path(field).asText();
            }
        }
        return null;
    }

    private static JsonNode parseQuietly(String body) {
        try {
            return body == null || body.isBlank() ? ApiJson.MAPPER.createObjectNode() : ApiJson.MAPPER.readTree(body);
        } catch (IOException e) {
            return ApiJson.MAPPER.createObjectNode();
        }
    }

    private static Integer parseIntOrNull(String value) {
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
