package dev.codelab.gateway;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.gateway.support.GatewayHarness;
import dev.codelab.gateway.support.TestTokens;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every forged, stale or misused token is refused with 401 {@code invalid_token}, over REST and at the
 * WebSocket upgrade, and scopes are enforced per method.
 */
class JwtAttackTest extends GatewayTestBase {

    private static final String USER = "jwt-user";

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws Exception {
        serve(server, Map.of());
    }

    /** Each attack with the message the gateway must answer. */
    private static Map<String, String[]> attacks() {
        TestTokens t = gateway.tokens;
        Map<String, String[]> attacks = new LinkedHashMap<>();
        attacks.put("alg none", new String[] {t.algNone(USER), "Unsupported token algorithm"});
        attacks.put(
                "HS256 keyed with the public key",
                new String[] {t.hs256WithPublicKey(USER), "Unsupported token algorithm"});
        attacks.put("unknown kid", new String[] {t.unknownKid(USER), "Unknown signing key"});
        attacks.put("known kid, other key", new String[] {t.wrongKey(USER), "Invalid token signature"});
        attacks.put("wrong issuer", new String[] {
            t.token(USER, c -> c.put("iss", "https://evil.example")), "Invalid token issuer"
        });
        attacks.put("wrong audience", new String[] {
            t.token(USER, c -> c.put("aud", "another-api")), "Invalid token audience"
        });
        attacks.put("expired", new String[] {t.expired(USER), "Token has expired"});
        attacks.put("not yet valid", new String[] {
            t.token(USER, c -> c.put("nbf", Instant.now().getEpochSecond() + 600)), "Token is not valid yet"
        });
        attacks.put("refresh token", new String[] {t.refresh(USER), "Not an access token"});
        attacks.put("tampered payload", new String[] {t.tamperedPayload(USER), "Invalid token signature"});
        attacks.put("garbage", new String[] {"not-a-jwt", "Malformed token"});
        return attacks;
    }

    @Test
    void everyAttackIsUnauthorizedOverRest() {
        attacks().forEach((name, attack) -> {
            HttpResponse<String> answer = gateway.get("/api/v1/agents", attack[0]);
            assertThat(name, answer.statusCode(), is(401));
            assertThat(
                    name,
                    answer.headers().firstValue("WWW-Authenticate").orElse(""),
                    is("Bearer error=\"invalid_token\""));
            JsonNode body = GatewayHarness.json(answer);
            assertThat(name, body.get("error").asText(), is("invalid_token"));
            assertThat(name, body.get("message").asText(), is(attack[1]));
        });
        assertThat(gateway.agent.requests("GET", "/agents").size(), is(0));
    }

    @Test
    void everyAttackIsUnauthorizedAtTheWebSocketUpgrade() {
        String session = gateway.createSession(USER);
        attacks().forEach((name, attack) -> {
            for (GatewayHarness.RawResponse answer : new GatewayHarness.RawResponse[] {
                gateway.upgrade("/api/v1/ws/" + session, Map.of("Authorization", "Bearer " + attack[0])),
                gateway.upgrade("/api/v1/ws/" + session + "?access_token=" + attack[0], Map.of()),
                gateway.upgrade("/api/v1/ws/" + session, Map.of("Sec-WebSocket-Protocol", "bearer, " + attack[0]))
            }) {
                assertThat(name, answer.status(), is(401));
                assertThat(name, answer.headers().get("www-authenticate"), is("Bearer error=\"invalid_token\""));
                assertThat(name, answer.json().get("error").asText(), is("invalid_token"));
                assertThat(name, answer.json().get("message").asText(), is(attack[1]));
            }
        });
    }

    @Test
    void missingOrMalformedAuthorizationIsUnauthorized() {
        for (Map<String, String> headers :
                new Map[] {Map.of(), Map.of("Authorization", "Basic dXNlcjpwYXNz"), Map.of("Authorization", "Bearer ")
                }) {
            HttpResponse<String> answer = gateway.send("GET", "/api/v1/agents", null, null, headers);
            assertThat(answer.statusCode(), is(401));
            assertThat(GatewayHarness.json(answer).get("message").asText(), is("Missing bearer token"));
        }
    }

    @Test
    void validTokenPasses() {
        assertThat(gateway.get("/api/v1/agents", gateway.tokens.access(USER)).statusCode(), is(200));
    }

    @Test
    void readScopeAllowsGetButNotWrites() {
        String readOnly = gateway.tokens.withScope("reader", "api:read");
        assertThat(gateway.get("/api/v1/sessions", readOnly).statusCode(), is(200));
        HttpResponse<String> write = gateway.send("POST", "/api/v1/sessions", readOnly, "{}");
        assertThat(write.statusCode(), is(403));
        assertThat(
                write.headers().firstValue("WWW-Authenticate").orElse(""),
                is("Bearer error=\"insufficient_scope\", scope=\"api:write\""));
        assertThat(GatewayHarness.json(write).get("error").asText(), is("insufficient_scope"));
        String writeOnly = gateway.tokens.withScope("writer", "api:write");
        assertThat(gateway.get("/api/v1/sessions", writeOnly).statusCode(), is(403));
        assertThat(
                gateway.upgrade("/api/v1/ws/some-session", Map.of("Authorization", "Bearer " + readOnly))
                        .status(),
                is(403));
    }
}
