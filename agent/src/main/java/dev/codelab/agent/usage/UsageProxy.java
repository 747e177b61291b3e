package dev.codelab.agent.usage;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.shared.hop.HopClient;
import dev.codelab.shared.hop.HopException;
import dev.codelab.shared.hop.HopResponse;
import dev.codelab.shared.http.InternalAuthFilter;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.http.RequestLog;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The LLM proxy's usage and budget endpoints (docs/llmproxy.md, "Usage, cost and budgets"): the budget check a
 * turn makes before its first LLM call, and the usage and budget requests the gateway's routes forward.
 */
public final class UsageProxy implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(UsageProxy.class.getName());
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final HopClient http;
    private final String baseUrl;
    private final String internalKey;

    public UsageProxy(String llmProxyUrl, String internalKey, Duration connectTimeout) {
        this.http = new HopClient("llmproxy", connectTimeout);
        this.baseUrl = llmProxyUrl;
        this.internalKey = internalKey;
    }

    /**
     * Where {@code userId} stands against their budget; empty when the proxy cannot tell (metering off, proxy
     * trouble): then the turn goes ahead, and the proxy still refuses a call over a hard limit.
     */
    public Optional<BudgetStatus> budgetStatus(String userId, String requestId) {
        Answer answer = send("GET", "/v1/budget/status?user=" + encode(userId), null, requestId);
        if (answer.status() != 200) {
            if (answer.status() != 503) {
                LOG.log(
                        Level.WARNING,
                        "Budget check of " + userId + " answered " + answer.status() + ": " + answer.body());
            }
            return Optional.empty();
        }
        try {
            JsonNode json = Json.read(answer.body());
            return Optional.of(new BudgetStatus(
                    json.path("state").asText(),
                    json.path("limit").asText(""),
                    json.path("message").asText(""),
                    json.path("resets_at").asText(""),
                    json.path("first_warning").asBoolean(false)));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Budget check of " + userId + " is not JSON: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** One request to the proxy; a transport failure is answered as 502 {@code llm_proxy_unreachable}. */
    Answer send(String method, String pathAndQuery, String body, String requestId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .header(InternalAuthFilter.HEADER.defaultCase(), internalKey)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (requestId != null) {
            request.header(RequestLog.HEADER.defaultCase(), requestId);
        }
        try (HopResponse response = http.exchange(request, TIMEOUT, requestId)) {
            return new Answer(response.status(), response.text());
        } catch (HopException e) {
            LOG.log(Level.WARNING, "LLM proxy " + method + " " + pathAndQuery + " failed: " + e.reason());
            return new Answer(
                    502,
                    "{\"error\":{\"message\":\"The LLM proxy cannot be reached\",\"code\":\"llm_proxy_unreachable\"}}");
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        http.close();
    }

    /** The proxy's status and body. */
    record Answer(int status, String body) {}
}
