package dev.codelab.auth;

import static dev.codelab.auth.AuthServer.FLUTTER;
import static dev.codelab.auth.AuthServer.INTERNAL;
import static dev.codelab.auth.AuthServer.INTERNAL_SECRET;
import static dev.codelab.auth.AuthServer.form;
import static dev.codelab.auth.AuthServer.json;
import static dev.codelab.auth.PasswordGrantTest.basic;
import static dev.codelab.auth.RefreshTokenTest.refreshTokenOf;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RevokeIntrospectTest extends AuthServiceTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, Map.of());
    }

    @Test
    void revokingARefreshTokenRevokesItsFamily() {
        String user = auth.newUser();
        String first = refreshTokenOf(auth.login(user, "Secret-Pass-1"));
        String child = refreshTokenOf(auth.refresh(first));

        HttpResponse<String> revoke = auth.post(
                "/oauth/revoke", form("token", first, "token_type_hint", "refresh_token", "client_id", FLUTTER));

        assertThat(revoke.statusCode(), is(200));
        assertThat(revoke.body(), is(""));
        assertThat(revoke.headers().firstValue("Cache-Control").orElse(""), is("no-store"));
        HttpResponse<String> refresh = auth.refresh(child);
        assertThat(refresh.statusCode(), is(401));
        assertThat(json(refresh).get("error_description"), is("Invalid or expired refresh token"));
        assertThat(
                auth.sql("SELECT count(*) FROM audit_logs a JOIN users u ON u.id = a.user_id WHERE u.username = '"
                        + user + "' AND a.event_type = 'token_revoked'"),
                contains("1"));
        assertThat(
                auth.sql("SELECT count(*) FROM audit_logs WHERE event_type = 'refresh_reuse_detected'"), contains("0"));
    }

    @Test
    void revokingAnUnknownOrForeignTokenStillAnswers200() {
        String user = auth.newUser();
        String refresh = refreshTokenOf(auth.login(user, "Secret-Pass-1"));

        assertThat(
                auth.post("/oauth/revoke", form("token", "unknown", "client_id", FLUTTER))
                        .statusCode(),
                is(200));
        assertThat(
                auth.post("/oauth/revoke", form("token", refresh), "Authorization", basic(INTERNAL, INTERNAL_SECRET))
                        .statusCode(),
                is(200));
        assertThat(auth.refresh(refresh).statusCode(), is(200));
    }

    @Test
    void revokeNeedsATokenAndAClient() {
        HttpResponse<String> noToken = auth.post("/oauth/revoke", form("client_id", FLUTTER));
        assertThat(noToken.statusCode(), is(400));
        assertThat(
                json(noToken),
                is(Map.of("error", "invalid_request", "error_description", "Missing required parameter: token")));
        HttpResponse<String> badClient = auth.post("/oauth/revoke", form("token", "x", "client_id", "nobody"));
        assertThat(badClient.statusCode(), is(401));
        assertThat(json(badClient).get("error"), is("invalid_client"));
    }

    @Test
    void introspectionShowsAnActiveAccessTokensClaims() {
        String user = auth.newUser();
        String access = (String) json(auth.login(user, "Secret-Pass-1")).get("access_token");

        HttpResponse<String> response = auth.post(
                "/oauth/introspect", form("token", access), "Authorization", basic(INTERNAL, INTERNAL_SECRET));

        assertThat(response.statusCode(), is(200));
        Map<String, Object> body = json(response);
        assertThat(
                List.copyOf(body.keySet()),
                contains(
                        "active",
                        "iss",
                        "sub",
                        "aud",
                        "exp",
                        "iat",
                        "nbf",
                        "jti",
                        "type",
                        "client_id",
                        "scope",
                        "token_type"));
        assertThat(body.get("active"), is(true));
        assertThat(body.get("client_id"), is(FLUTTER));
        assertThat(body.get("token_type"), is("access_token"));
    }

    @Test
    void introspectionOfRefreshTokensFollowsRevocation() {
        String user = auth.newUser();
        String refresh = refreshTokenOf(auth.login(user, "Secret-Pass-1"));

        Map<String, Object> active = json(auth.post(
                "/oauth/introspect", form("token", refresh, "client_id", INTERNAL, "client_secret", INTERNAL_SECRET)));
        assertThat(active.get("active"), is(true));
        assertThat(active.get("token_type"), is("refresh_token"));
        assertThat(active.get("scope"), is("api:read api:write"));

        auth.refresh(refresh);
        assertThat(
                json(auth.post(
                        "/oauth/introspect",
                        form("token", refresh),
                        "Authorization",
                        basic(INTERNAL, INTERNAL_SECRET))),
                is(Map.of("active", false)));
    }

    @Test
    void introspectionOfGarbageOrExpiredTokensIsInactive() {
        String user = auth.newUser();
        String access = (String) json(auth.login(user, "Secret-Pass-1")).get("access_token");
        String tampered = access.substring(0, access.length() - 4) + "AAAA";

        for (String token : List.of("garbage", "a.b.c", tampered)) {
            assertThat(
                    json(auth.post(
                            "/oauth/introspect",
                            form("token", token),
                            "Authorization",
                            basic(INTERNAL, INTERNAL_SECRET))),
                    is(Map.of("active", false)));
        }
    }

    @Test
    void publicClientsMayNotIntrospect() {
        HttpResponse<String> response = auth.post("/oauth/introspect", form("token", "x", "client_id", FLUTTER));

        assertThat(response.statusCode(), is(401));
        assertThat(json(response).get("error"), is("invalid_client"));
    }
}
