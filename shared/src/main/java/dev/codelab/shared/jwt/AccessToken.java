package dev.codelab.shared.jwt;

import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * The claims a resource server acts on, from a verified access token.
 *
 * @param subject  the user id (or client id for client-credentials tokens)
 * @param clientId the OAuth client that obtained the token
 * @param scopes   granted scopes
 * @param expires  expiry time
 * @param jwtId    the {@code jti}
 * @param claims   every claim of the token, in the order the token carries them (what introspection answers)
 */
public record AccessToken(
        String subject,
        String clientId,
        Set<String> scopes,
        Instant expires,
        String jwtId,
        Map<String, JsonValue> claims) {

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }
}
