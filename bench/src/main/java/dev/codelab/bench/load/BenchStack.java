package dev.codelab.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.devstack.DevStack;
import dev.codelab.shared.db.PoolUsage;
import dev.codelab.shared.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The dev stack as the bench runs it: every service in this JVM on free 127.0.0.1 ports, llmproxy's only model
 * an {@code openai} deployment on the bench's {@link PacedUpstream}, and the abuse limits (REST and login rate
 * limits, sockets per user, frames per minute) raised so that they do not cap what is measured. The agent keeps
 * its default database pool.
 */
final class BenchStack implements AutoCloseable {

    static final String CLIENT_ID = "codelab-flutter-app";
    static final String INTERNAL_KEY = UUID.randomUUID().toString();
    /** Limits that would otherwise throttle the load; everything else keeps its default. */
    static final Map<String, String> UNTHROTTLED = Map.of(
            "GATEWAY__RATE_LIMIT_REST_PER_MIN", "1000000000",
            "GATEWAY__WS_MAX_CONN_PER_USER", "1000000",
            "GATEWAY__WS_MAX_FRAMES_PER_MIN", "1000000",
            "AUTH_SERVICE__RATE_LIMIT_PER_IP", "1000000000",
            "AUTH_SERVICE__RATE_LIMIT_PER_USERNAME", "1000000000",
            "LLM_PROXY__MAX_CONCURRENT_REQUESTS", "100000",
            // Nothing is left running when the bench stops its stack: no need to wait for turns to finish.
            "GATEWAY__SHUTDOWN_GRACE_SECONDS", "1");

    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    final PacedUpstream upstream;
    final DevStack stack;

    private BenchStack(PacedUpstream upstream, DevStack stack) {
        this.upstream = upstream;
        this.stack = stack;
    }

    static BenchStack start(Path workDir) {
        PacedUpstream upstream = PacedUpstream.start();
        try {
            Path models = upstream.writeModelsFile(workDir);
            Map<String, String> env = new HashMap<>(UNTHROTTLED);
            env.put("LLM_PROXY__MODELS_FILE", models.toString());
            env.put("LLM_PROXY__DEFAULT_MODEL", PacedUpstream.MODEL);
            env.put("CODELAB_INTERNAL_API_KEY", INTERNAL_KEY);
            return new BenchStack(
                    upstream, DevStack.start(workDir.resolve("data"), DevStack.Ports.ephemeral(), true, env));
        } catch (IOException e) {
            upstream.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            upstream.close();
            throw e;
        }
    }

    String gatewayUrl() {
        return "http://127.0.0.1:" + stack.ports().gateway();
    }

    String webSocketUrl(String sessionId) {
        return "ws://127.0.0.1:" + stack.ports().gateway() + "/api/v1/ws/" + sessionId;
    }

    /** How the agent's database pool was used since {@link #resetAgentPool()}. */
    PoolUsage agentPool() {
        return stack.agent().poolUsage();
    }

    void resetAgentPool() {
        stack.agent().resetPoolUsage();
    }

    /** A password grant for the demo user: the token answer ({@code access_token}, {@code refresh_token}). */
    JsonNode login() throws IOException, InterruptedException {
        return token(Map.of(
                "grant_type",
                "password",
                "username",
                "demo",
                "password",
                stack.demoPassword(),
                "client_id",
                CLIENT_ID));
    }

    /** POSTs a form to the token endpoint; fails unless 200. */
    JsonNode token(Map<String, String> fields) throws IOException, InterruptedException {
        StringBuilder body = new StringBuilder();
        fields.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&")
                .append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpResponse<String> res = http.send(
                HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + stack.ports().auth() + "/oauth/token"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200) {
            throw new IllegalStateException("token endpoint answered " + res.statusCode() + ": " + res.body());
        }
        return Json.read(res.body());
    }

    @Override
    public void close() {
        if (stack != null) {
            stack.close();
        }
        upstream.close();
    }
}
