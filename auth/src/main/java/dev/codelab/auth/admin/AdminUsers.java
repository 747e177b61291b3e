package dev.codelab.auth.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.auth.audit.RequestOrigin;
import dev.codelab.auth.token.AccessTokens;
import dev.codelab.auth.user.InvalidUserException;
import dev.codelab.auth.user.User;
import dev.codelab.auth.user.UserAdmin;
import dev.codelab.shared.http.ApiException;
import dev.codelab.shared.http.ClientIp;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.jwt.AccessToken;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code /oauth/admin/users} for callers whose access token holds {@code api:admin}: {@code GET} lists users,
 * {@code POST} creates one ({@code {"username","email","password","is_verified"}}), {@code PATCH /{login}}
 * changes {@code is_active} and/or {@code password}. Errors use the REST body {@code {"error","message","details"}}.
 */
public final class AdminUsers implements HttpService {

    private static final String ADMIN_SCOPE = "api:admin";
    private static final int MAX_BODY_BYTES = 8 * 1024;

    private final AccessTokens accessTokens;
    private final UserAdmin users;
    private final ClientIp clientIp;

    public AdminUsers(AccessTokens accessTokens, UserAdmin users, ClientIp clientIp) {
        this.accessTokens = accessTokens;
        this.users = users;
        this.clientIp = clientIp;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(this::requireAdmin)
                .get("/", this::list)
                .post("/", this::create)
                .patch("/{login}", this::update);
    }

    private void requireAdmin(ServerRequest req, ServerResponse res) {
        String authorization = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
        Optional<AccessToken> token = authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? accessTokens.verify(authorization.substring(7).strip())
                : Optional.empty();
        if (token.isEmpty()) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
            throw new ApiException(Status.UNAUTHORIZED_401, "unauthorized", "A valid bearer access token is required");
        }
        if (!token.get().hasScope(ADMIN_SCOPE)) {
            throw new ApiException(Status.FORBIDDEN_403, "forbidden", "The token lacks the api:admin scope");
        }
        res.next();
    }

    private void list(ServerRequest req, ServerResponse res) {
        Json.send(
                res,
                Status.OK_200,
                Map.of("users", users.list().stream().map(AdminUsers::view).toList()));
    }

    private void create(ServerRequest req, ServerResponse res) {
        JsonNode body = body(req);
        User user = guarded(() -> users.create(
                text(body, "username"),
                text(body, "email"),
                text(body, "password"),
                body.path("is_verified").asBoolean(false),
                origin(req)));
        Json.send(res, Status.CREATED_201, view(user));
    }

    private void update(ServerRequest req, ServerResponse res) {
        String login = req.path().pathParameters().get("login");
        JsonNode body = body(req);
        User user = guarded(() -> {
            User current = users.require(login);
            if (body.hasNonNull("password")) {
                current = users.changePassword(login, text(body, "password"));
            }
            if (body.has("is_active")) {
                current = body.get("is_active").asBoolean() ? users.enable(login) : users.disable(login, origin(req));
            }
            return current;
        });
        Json.send(res, Status.OK_200, view(user));
    }

    private static User guarded(Supplier<User> action) {
        try {
            return action.get();
        } catch (InvalidUserException e) {
            throw switch (e.reason()) {
                case NOT_FOUND -> ApiException.notFound(e.getMessage());
                case TAKEN -> new ApiException(Status.CONFLICT_409, "conflict", e.getMessage());
                case RULE -> new ApiException(Status.BAD_REQUEST_400, "invalid_field", e.getMessage());
            };
        }
    }

    private static JsonNode body(ServerRequest req) {
        try (InputStream in = req.content().inputStream()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw ApiException.badRequest("Request body is too large");
            }
            JsonNode node = Json.MAPPER.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw ApiException.badRequest("Body must be a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw ApiException.badRequest("Body must be a JSON object");
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual()) {
            throw new ApiException(
                    Status.BAD_REQUEST_400,
                    "missing_field",
                    "Field '" + field + "' is required",
                    Map.of("field", field));
        }
        return value.asText();
    }

    private RequestOrigin origin(ServerRequest req) {
        return new RequestOrigin(
                clientIp.of(req), req.headers().first(HeaderNames.USER_AGENT).orElse(null));
    }

    private static Map<String, Object> view(User user) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", user.id().toString());
        view.put("username", user.username());
        view.put("email", user.email());
        view.put("is_active", user.active());
        view.put("is_verified", user.verified());
        view.put("created_at", user.createdAt().toString());
        view.put(
                "last_login_at",
                user.lastLoginAt() == null ? null : user.lastLoginAt().toString());
        return view;
    }
}
