package dev.codelab.auth;

import static dev.codelab.auth.AuthServer.json;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every malformed token request gets a 4xx with an RFC 6749 body, never a 500. */
class BadInputTest extends AuthServiceTest {

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        serve(server, Map.of());
    }

    static Stream<Arguments> badRequests() {
        String big = "x".repeat(5000);
        return Stream.of(
                Arguments.of(
                        "no grant_type",
                        "client_id=codelab-flutter-app",
                        400,
                        "invalid_request",
                        "Missing required parameter: grant_type"),
                Arguments.of(
                        "empty grant_type counts as missing",
                        "grant_type=&client_id=codelab-flutter-app",
                        400,
                        "invalid_request",
                        "Missing required parameter: grant_type"),
                Arguments.of(
                        "unknown grant",
                        "grant_type=magic&client_id=codelab-flutter-app",
                        400,
                        "unsupported_grant_type",
                        "Grant type 'magic' is not supported"),
                Arguments.of(
                        "authorization_code is not offered",
                        "grant_type=authorization_code&client_id=codelab-flutter-app",
                        400,
                        "unsupported_grant_type",
                        "Grant type 'authorization_code' is not supported"),
                Arguments.of(
                        "no client_id",
                        "grant_type=password&username=a&password=b",
                        400,
                        "invalid_request",
                        "Missing required parameter: client_id"),
                Arguments.of(
                        "password grant without password",
                        "grant_type=password&username=a&client_id=codelab-flutter-app",
                        400,
                        "invalid_request",
                        "Missing required parameters: username and password"),
                Arguments.of(
                        "password grant without username",
                        "grant_type=password&password=a&client_id=codelab-flutter-app",
                        400,
                        "invalid_request",
                        "Missing required parameters: username and password"),
                Arguments.of(
                        "refresh grant without token",
                        "grant_type=refresh_token&client_id=codelab-flutter-app",
                        400,
                        "invalid_request",
                        "Missing required parameter: refresh_token"),
                Arguments.of(
                        "duplicate parameter",
                        "grant_type=password&grant_type=password&client_id=codelab-flutter-app",
                        400,
                        "invalid_request",
                        "Parameter 'grant_type' is repeated"),
                Arguments.of(
                        "oversized field",
                        "grant_type=password&client_id=codelab-flutter-app&username=" + big + "&password=x",
                        400,
                        "invalid_request",
                        "Parameter 'username' is too long"),
                Arguments.of(
                        "oversized body",
                        "grant_type=password&" + "a=b&".repeat(5000),
                        400,
                        "invalid_request",
                        "Request body is too large"),
                // Found by the reliability fuzzing: a NUL reached PostgreSQL, which refused it with a 500.
                Arguments.of(
                        "NUL in a value",
                        "grant_type=refresh_token&refresh_token=a.b&client_id=codelab-flutter-ap%00p",
                        400,
                        "invalid_request",
                        "Parameter 'client_id' contains a NUL character"),
                Arguments.of(
                        "broken percent-encoding",
                        "grant_type=password%zz&client_id=x",
                        400,
                        "invalid_request",
                        "Malformed form encoding"),
                Arguments.of(
                        "unknown refresh token",
                        "grant_type=refresh_token&refresh_token=nope&client_id=codelab-flutter-app",
                        401,
                        "invalid_grant",
                        "Invalid or expired refresh token"),
                Arguments.of(
                        "an access token is not a refresh token",
                        "grant_type=refresh_token&refresh_token=eyJhbGciOiJSUzI1NiJ9.e30.c2ln"
                                + "&client_id=codelab-flutter-app",
                        401,
                        "invalid_grant",
                        "Invalid or expired refresh token"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badFormGetsOAuthError(String name, String body, int status, String error, String description) {
        HttpResponse<String> response = auth.post("/oauth/token", body);

        assertThat(response.body(), response.statusCode(), is(status));
        assertThat(json(response), is(Map.of("error", error, "error_description", description)));
        assertThat(response.headers().firstValue("Cache-Control").orElse(""), is("no-store"));
    }

    static Stream<Arguments> badContentTypes() {
        return Stream.of(
                Arguments.of("application/json", """
                        {"grant_type":"password"}"""),
                Arguments.of("multipart/form-data; boundary=x", "--x--"),
                Arguments.of("text/plain", "grant_type=password"),
                // Found by the reliability fuzzing: Helidon throws on an unparseable type, which was a 500.
                Arguments.of("c4}\"3:", "grant_type=password"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badContentTypes")
    void wrongContentTypeIsInvalidRequest(String contentType, String body) {
        HttpResponse<String> response = auth.send(HttpRequest.newBuilder(URI.create(auth.base() + "/oauth/token"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());

        assertThat(response.statusCode(), is(400));
        assertThat(
                json(response),
                is(Map.of(
                        "error",
                        "invalid_request",
                        "error_description",
                        "Content-Type must be application/x-www-form-urlencoded")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badContentTypes")
    void revokeAndIntrospectRejectWrongContentTypeToo(String contentType, String body) {
        for (String path : new String[] {"/oauth/revoke", "/oauth/introspect"}) {
            HttpResponse<String> response = auth.send(HttpRequest.newBuilder(URI.create(auth.base() + path))
                    .header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build());
            assertThat(path, response.statusCode(), is(400));
            assertThat(json(response).get("error"), is("invalid_request"));
        }
    }

    @Test
    void formContentTypeWithCharsetIsAccepted() {
        HttpResponse<String> response = auth.send(HttpRequest.newBuilder(URI.create(auth.base() + "/oauth/token"))
                .header("Content-Type", "Application/X-WWW-Form-Urlencoded; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString("client_id=codelab-flutter-app"))
                .build());

        assertThat(json(response).get("error_description"), is("Missing required parameter: grant_type"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBasic")
    void malformedBasicHeaderIsInvalidClient(String header) {
        HttpResponse<String> response =
                auth.post("/oauth/token", "grant_type=client_credentials", "Authorization", header);

        assertThat(response.statusCode(), is(401));
        assertThat(json(response).get("error"), is("invalid_client"));
        assertThat(response.headers().firstValue("WWW-Authenticate").isPresent(), is(true));
    }

    static Stream<String> badBasic() {
        return Stream.of(
                "Basic !!!notbase64",
                "Basic " + java.util.Base64.getEncoder().encodeToString("nocolon".getBytes()),
                "Basic " + java.util.Base64.getEncoder().encodeToString(":secret".getBytes()));
    }
}
