package dev.codelab.cli.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.http.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP side of a check against one base URL (the public entry point, or one gateway replica): requests, the
 * expected status of each (counted as a step, so a failure says how far the check got) and WebSocket connections.
 * Siblings made by {@link #at(String)} share the client and the step count.
 */
public final class CheckHttp {

    private final HttpClient http;
    private final String baseUrl;
    private final AtomicInteger steps;

    public CheckHttp(String baseUrl) {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), baseUrl, new AtomicInteger());
    }

    private CheckHttp(HttpClient http, String baseUrl, AtomicInteger steps) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.steps = steps;
    }

    /** The same check against another base URL. */
    public CheckHttp at(String otherBaseUrl) {
        return new CheckHttp(http, otherBaseUrl, steps);
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** Counts a step that is not one HTTP answer (such as a WebSocket exchange). */
    public void step() {
        steps.incrementAndGet();
    }

    public int steps() {
        return steps.get();
    }

    /** Counts a step and fails unless {@code res} has {@code status}. */
    public HttpResponse<String> expect(String what, HttpResponse<String> res, int status) {
        step();
        if (res.statusCode() != status) {
            throw new CheckFailed(what + ": expected " + status + ", got " + res.statusCode() + " " + res.body());
        }
        return res;
    }

    public HttpResponse<String> get(String path, String access) throws Exception {
        return send("GET", path, access, null);
    }

    public HttpResponse<String> send(String method, String path, String access, String body) throws Exception {
        HttpRequest.Builder req = request(method, path, body);
        if (access != null) {
            req.header("Authorization", "Bearer " + access);
        }
        return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A call of an internal service as a trusted service does it: the internal key, no user. */
    public HttpResponse<String> sendInternal(String method, String path, String internalKey, String body)
            throws Exception {
        return http.send(
                request(method, path, body)
                        .header("X-Internal-Auth", internalKey)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String method, String path, String body) {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            req.header("Content-Type", "application/json");
        }
        return req;
    }

    public HttpResponse<String> form(String path, Map<String, String> fields) throws Exception {
        StringBuilder body = new StringBuilder();
        fields.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&")
                .append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return http.send(
                HttpRequest.newBuilder(URI.create(baseUrl + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Opens the session's IDE WebSocket here, resuming after {@code lastSeq} when it is given. */
    public CheckSocket connect(String sessionId, String access, Long lastSeq) throws Exception {
        String url = baseUrl.replaceFirst("^http", "ws") + "/api/v1/ws/" + sessionId
                + (lastSeq == null ? "" : "?last_seq=" + lastSeq);
        return CheckSocket.open(http, URI.create(url), access);
    }

    public static JsonNode json(HttpResponse<String> res) throws Exception {
        return Json.read(res.body());
    }

    /** A non-empty string field of {@code node}. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        CheckFailed.require(value.isTextual() && !value.asText().isEmpty(), "missing \"" + field + "\" in " + node);
        return value.asText();
    }
}
