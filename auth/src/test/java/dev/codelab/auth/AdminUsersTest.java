package dev.codelab.auth;

import static dev.codelab.auth.AuthServer.INTERNAL;
import static dev.codelab.auth.AuthServer.INTERNAL_SECRET;
import static dev.codelab.auth.AuthServer.form;
import static dev.codelab.auth.AuthServer.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AdminUsersTest extends AuthServiceTest {

    private static String adminToken;

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, Map.of());
    }

    @BeforeAll
    static void adminToken(URI uri) {
        adminToken = (String) json(service.at(uri)
                        .post(
                                "/oauth/token",
                                form("grant_type", "client_credentials", "scope", "api:admin"),
                                "Authorization",
                                PasswordGrantTest.basic(INTERNAL, INTERNAL_SECRET)))
                .get("access_token");
    }

    @Test
    void adminCreatesListsDisablesAndResetsUsers() {
        HttpResponse<String> created = call("POST", "", adminToken, """
                {"username":"erin","email":"erin@example.com","password":"Erin-Pass-1"}""");
        assertThat(created.body(), created.statusCode(), is(201));
        Map<String, Object> user = json(created);
        assertThat(
                List.copyOf(user.keySet()),
                contains("id", "username", "email", "is_active", "is_verified", "created_at", "last_login_at"));
        assertThat(user.get("is_active"), is(true));

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> users = (List<Map<String, Object>>)
                json(call("GET", "", adminToken, null)).get("users");
        assertThat(users.stream().map(u -> u.get("username")).toList(), hasItem("erin"));

        HttpResponse<String> disabled = call("PATCH", "/erin", adminToken, """
                {"is_active":false}""");
        assertThat(json(disabled).get("is_active"), is(false));
        assertThat(auth.login("erin", "Erin-Pass-1").statusCode(), is(401));

        call("PATCH", "/erin", adminToken, """
                {"is_active":true,"password":"Erin-Pass-2"}""");
        assertThat(auth.login("erin", "Erin-Pass-2").statusCode(), is(200));
    }

    @Test
    void badRequestsGetRestErrors() {
        HttpResponse<String> weak = call("POST", "", adminToken, """
                {"username":"frank","email":"f@example.com","password":"x"}""");
        assertThat(weak.statusCode(), is(400));
        assertThat(
                json(weak),
                is(Map.of(
                        "error",
                        "invalid_field",
                        "message",
                        "Password must be 8 to 72 characters long",
                        "details",
                        Map.of())));
        assertThat(call("POST", "", adminToken, """
                {"username":"admin","email":"x@example.com","password":"Long-Pass-1"}""").statusCode(), is(409));
        assertThat(call("POST", "", adminToken, "not json").statusCode(), is(400));
        assertThat(json(call("POST", "", adminToken, "{}")).get("error"), is("missing_field"));
        assertThat(call("PATCH", "/nobody", adminToken, """
                {"is_active":false}""").statusCode(), is(404));
    }

    @Test
    void onlyAdminTokensGetIn() {
        HttpResponse<String> anonymous = call("GET", "", null, null);
        assertThat(anonymous.statusCode(), is(401));
        assertThat(anonymous.headers().firstValue("WWW-Authenticate").orElse(""), is("Bearer"));
        assertThat(json(anonymous).get("error"), is("unauthorized"));

        String user = auth.newUser();
        String userToken = (String) json(auth.login(user, "Secret-Pass-1")).get("access_token");
        HttpResponse<String> notAdmin = call("GET", "", userToken, null);
        assertThat(notAdmin.statusCode(), is(403));
        assertThat(json(notAdmin).get("error"), is("forbidden"));
    }

    private HttpResponse<String> call(String method, String path, String token, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(auth.base() + "/oauth/admin/users" + path))
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return auth.send(request.build());
    }
}
