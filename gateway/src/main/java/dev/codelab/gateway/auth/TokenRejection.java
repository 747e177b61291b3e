package dev.codelab.gateway.auth;

import dev.codelab.shared.http.ErrorBodies;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;

/**
 * The RFC 6750 answers to a bad bearer token: 401 {@code invalid_token} (the IDE refreshes its token on it)
 * and 403 {@code insufficient_scope}.
 */
public final class TokenRejection {

    private TokenRejection() {}

    public static void invalidToken(ServerResponse res, String message) {
        res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
        ErrorBodies.send(res, Status.UNAUTHORIZED_401, "invalid_token", message);
    }

    public static void insufficientScope(ServerResponse res, String scope) {
        res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\", scope=\"" + scope + "\"");
        ErrorBodies.send(res, Status.FORBIDDEN_403, "insufficient_scope", "The token lacks the scope " + scope);
    }
}
