package dev.codelab.gateway;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The REST limit of gateway.md with its default of 100 requests a minute per client IP; forwarded addresses
 * count only from trusted proxies.
 */
class RateLimitTest extends GatewayTestBase {

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws Exception {
        serve(
                server,
                Map.of(
                        "gateway.rate-limit-rest-per-min", "100",
                        "gateway.trusted-proxies", "127.0.0.1/32"));
    }

    @Test
    void the101stRequestOfAnAddressIs429WithHeaders() {
        String token = gateway.tokens.access("limited");
        Map<String, String> client = Map.of("X-Forwarded-For", "203.0.113.7");
        for (int i = 1; i <= 100; i++) {
            HttpResponse<String> ok = gateway.send("GET", "/api/v1/agents", token, null, client);
            assertThat(ok.statusCode(), is(200));
            assertThat(ok.headers().firstValue("X-RateLimit-Remaining").orElseThrow(), is(String.valueOf(100 - i)));
        }
        HttpResponse<String> limited = gateway.send("GET", "/api/v1/agents", token, null, client);
        assertThat(limited.statusCode(), is(429));
        long retryAfter =
                Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter, greaterThan(0L));
        assertThat(retryAfter, lessThanOrEqualTo(60L));
        assertThat(limited.headers().firstValue("X-RateLimit-Limit").orElseThrow(), is("100"));
        assertThat(limited.headers().firstValue("X-RateLimit-Remaining").orElseThrow(), is("0"));
        long reset =
                Long.parseLong(limited.headers().firstValue("X-RateLimit-Reset").orElseThrow());
        assertThat(
                reset - Instant.now().getEpochSecond() <= 61
                        && reset >= Instant.now().getEpochSecond(),
                is(true));
        String tooMany = """
                {"error":"rate_limit_exceeded","message":"Too many requests","details":{},"retry_after":%d}""";
        assertThat(limited.body(), is(tooMany.formatted(retryAfter)));

        assertThat(
                "an unauthenticated caller is counted too",
                gateway.send("GET", "/api/v1/agents", null, null, client).statusCode(),
                is(429));
        assertThat(
                "health is exempt",
                gateway.send("GET", "/api/v1/health", null, null, client).statusCode(),
                is(200));
        assertThat(
                "another address has its own budget",
                gateway.send("GET", "/api/v1/agents", token, null, Map.of("X-Forwarded-For", "203.0.113.8"))
                        .statusCode(),
                is(200));
    }
}
