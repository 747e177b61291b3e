package dev.codelab.auth;

import static dev.codelab.auth.AuthServer.FLUTTER;
import static dev.codelab.auth.AuthServer.INTERNAL;
import static dev.codelab.auth.AuthServer.INTERNAL_SECRET;
import static dev.codelab.auth.AuthServer.form;
import static dev.codelab.auth.AuthServer.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.codelab.auth.audit.RequestOrigin;
import dev.codelab.shared.jwt.AccessToken;
import dev.codelab.shared.jwt.InvalidTokenException;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PasswordGrantTest extends AuthServiceTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, Map.of());
    }

    @Test
    void seedCurlExampleReturnsTokenPairWithNoStoreHeaders() {
        auth.app.users().create("seeduser", "user@example.com", "SecurePass123!", true, RequestOrigin.LOCAL);
        HttpResponse<String> response = auth.post(
                "/oauth/token",
                "grant_type=password&username=user%40example.com"
                        + "&password=SecurePass123%21&client_id=codelab-flutter-app&scope=api%3Aread+api%3Awrite");

        assertThat(response.body(), response.statusCode(), is(200));
        assertThat(response.headers().firstValue("Cache-Control").orElse(""), is("no-store"));
        assertThat(response.headers().firstValue("Pragma").orElse(""), is("no-cache"));
        assertThat(response.headers().firstValue("Content-Type").orElse(""), is("application/json"));
        Map<String, Object> body = json(response);
        assertThat(
                List.copyOf(body.keySet()),
                contains("access_token", "refresh_token", "token_type", "expires_in", "scope"));
        assertThat(body.get("token_type"), is("bearer"));
        assertThat(body.get("expires_in"), is(900));
        assertThat(body.get("scope"), is("api:read api:write"));
        assertThat(((String) body.get("refresh_token")).matches("[A-Za-z0-9_-]{43}"), is(true));
    }

    @Test
    void accessTokenVerifiesAgainstServedJwksWithRightKidAndClaims() throws Exception {
        String user = auth.newUser();
        Map<String, Object> body = json(auth.login(user.toUpperCase(), "Secret-Pass-1"));
        String token = (String) body.get("access_token");

        AccessToken verified = auth.verifier().verify(token);

        String userId =
                auth.sql("SELECT id FROM users WHERE username = '" + user + "'").getFirst();
        assertThat(verified.subject(), is(userId));
        assertThat(verified.clientId(), is(FLUTTER));
        assertThat(verified.scopes(), is(Set.of("api:read", "api:write")));
        Map<String, Object> header = decode(token, 0);
        assertThat(header.get("alg"), is("RS256"));
        assertThat(header.get("kid"), is(auth.app.keyRing().signingKey().kid()));
        Map<String, Object> jwks = json(auth.get("/.well-known/jwks.json"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> keys = (List<Map<String, Object>>) jwks.get("keys");
        assertThat(keys.stream().map(k -> k.get("kid")).toList(), hasItem(header.get("kid")));
        Map<String, Object> claims = decode(token, 1);
        assertThat(
                List.copyOf(claims.keySet()),
                contains("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "type", "client_id", "scope"));
        assertThat(claims.get("aud"), is("codelab-api"));
        assertThat(claims.get("iss"), is("https://auth.codelab.local"));
        assertThat(claims.get("type"), is("access"));
        assertThat(((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue(), is(900L));
    }

    @Test
    void loginByEmailIgnoresCaseAndRecordsSuccess() {
        String user = auth.newUser();
        HttpResponse<String> response = auth.login(user.toUpperCase() + "@EXAMPLE.COM", "Secret-Pass-1");

        assertThat(response.body(), response.statusCode(), is(200));
        assertThat(
                auth.sql("SELECT last_login_at FROM users WHERE username = '" + user + "'")
                        .getFirst(),
                notNullValue());
        assertThat(
                auth.sql("SELECT a.event_data->>'scope' FROM audit_logs a JOIN users u ON u.id = a.user_id "
                        + "WHERE a.event_type = 'login_success' AND u.username = '" + user + "'"),
                contains("api:read api:write"));
    }

    @Test
    void requestedScopesComeBackSortedAndSubsetOnly() {
        String user = auth.newUser();
        HttpResponse<String> narrowed = auth.login(user, "Secret-Pass-1", "api:write  api:read api:write");
        assertThat(json(narrowed).get("scope"), is("api:read api:write"));

        HttpResponse<String> tooMuch = auth.login(user, "Secret-Pass-1", "api:read api:admin");
        assertThat(tooMuch.statusCode(), is(400));
        assertThat(
                json(tooMuch),
                is(Map.of(
                        "error",
                        "invalid_scope",
                        "error_description",
                        "The requested scope is not allowed for this client")));
    }

    @Test
    void wrongPasswordUnknownUserAndDisabledUserAllGetTheSameAnswer() {
        String user = auth.newUser();
        String disabled = auth.newUser();
        auth.app.users().disable(disabled, RequestOrigin.LOCAL);
        Map<String, Object> expected =
                Map.of("error", "invalid_grant", "error_description", "Invalid username or password");

        for (HttpResponse<String> response : List.of(
                auth.login(user, "wrong-password"),
                auth.login("nobody-" + user, "Secret-Pass-1"),
                auth.login(disabled, "Secret-Pass-1"))) {
            assertThat(response.statusCode(), is(401));
            assertThat(json(response), is(expected));
        }
        assertThat(
                auth.sql("SELECT event_data->>'username' FROM audit_logs WHERE event_type = 'login_failed' "
                        + "AND event_data->>'username' = 'nobody-" + user + "'"),
                contains("nobody-" + user));
    }

    @Test
    void clientCredentialsWithBasicAuthIssuesTokenWithoutRefresh() throws InvalidTokenException {
        HttpResponse<String> response = auth.post(
                "/oauth/token",
                form("grant_type", "client_credentials", "scope", "api:admin"),
                "Authorization",
                basic(INTERNAL, INTERNAL_SECRET));

        assertThat(response.body(), response.statusCode(), is(200));
        Map<String, Object> body = json(response);
        assertThat(List.copyOf(body.keySet()), contains("access_token", "token_type", "expires_in", "scope"));
        assertThat(body.get("expires_in"), is(3600));
        AccessToken token = auth.verifier().verify((String) body.get("access_token"));
        assertThat(token.subject(), is(INTERNAL));
        assertThat(token.scopes(), is(Set.of("api:admin")));
    }

    @Test
    void confidentialClientMayAuthenticateWithClientSecretPost() {
        HttpResponse<String> response = auth.post(
                "/oauth/token",
                form("grant_type", "client_credentials", "client_id", INTERNAL, "client_secret", INTERNAL_SECRET));

        assertThat(response.statusCode(), is(200));
        assertThat(json(response).get("scope"), is("api:admin api:read api:write"));
    }

    @Test
    void wrongSecretWithBasicIsInvalidClientWithChallenge() {
        HttpResponse<String> response = auth.post(
                "/oauth/token", form("grant_type", "client_credentials"), "Authorization", basic(INTERNAL, "wrong"));

        assertThat(response.statusCode(), is(401));
        assertThat(response.headers().firstValue("WWW-Authenticate").orElse(""), is("Basic realm=\"codelab\""));
        assertThat(
                json(response),
                is(Map.of("error", "invalid_client", "error_description", "Client authentication failed")));
    }

    @Test
    void wrongSecretInFormIsInvalidClientWithoutChallenge() {
        HttpResponse<String> response = auth.post(
                "/oauth/token",
                form("grant_type", "client_credentials", "client_id", INTERNAL, "client_secret", "wrong"));

        assertThat(response.statusCode(), is(401));
        assertThat(response.headers().firstValue("WWW-Authenticate").isPresent(), is(false));
        assertThat(json(response).get("error"), is("invalid_client"));
    }

    @Test
    void confidentialClientWithoutSecretCannotUsePasswordGrant() {
        String user = auth.newUser();
        HttpResponse<String> response = auth.post(
                "/oauth/token",
                form("grant_type", "password", "username", user, "password", "Secret-Pass-1", "client_id", INTERNAL));

        assertThat(response.statusCode(), is(401));
        assertThat(json(response).get("error"), is("invalid_client"));
    }

    @Test
    void internalClientWithSecretMayUsePasswordGrant() {
        String user = auth.newUser();
        HttpResponse<String> response = auth.post(
                "/oauth/token",
                form("grant_type", "password", "username", user, "password", "Secret-Pass-1"),
                "Authorization",
                basic(INTERNAL, INTERNAL_SECRET));

        assertThat(response.body(), response.statusCode(), is(200));
        assertThat(json(response).get("expires_in"), is(3600));
    }

    @Test
    void publicClientCannotUseClientCredentials() {
        HttpResponse<String> response =
                auth.post("/oauth/token", form("grant_type", "client_credentials", "client_id", FLUTTER));

        assertThat(response.statusCode(), is(400));
        assertThat(
                json(response),
                is(Map.of(
                        "error",
                        "unauthorized_client",
                        "error_description",
                        "The client is not allowed to use grant type 'client_credentials'")));
    }

    @Test
    void unknownClientIsInvalidClient() {
        HttpResponse<String> response = auth.post(
                "/oauth/token",
                form("grant_type", "password", "username", "a", "password", "b", "client_id", "no-such-client"));

        assertThat(response.statusCode(), is(401));
        assertThat(json(response).get("error"), is("invalid_client"));
    }

    @Test
    void basicAuthCannotBeCombinedWithSecretInForm() {
        HttpResponse<String> response = auth.post(
                "/oauth/token",
                form("grant_type", "client_credentials", "client_secret", INTERNAL_SECRET),
                "Authorization",
                basic(INTERNAL, INTERNAL_SECRET));

        assertThat(response.statusCode(), is(400));
        assertThat(json(response).get("error"), is("invalid_request"));
    }

    @Test
    void garbageTokenIsRejectedByTheVerifier() {
        assertThrows(InvalidTokenException.class, () -> auth.verifier().verify("not.a.token"));
    }

    static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> decode(String jwt, int part) {
        try {
            return dev.codelab.shared.http.Json.MAPPER.readValue(
                    Base64.getUrlDecoder().decode(jwt.split("\\.")[part]), java.util.LinkedHashMap.class);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
