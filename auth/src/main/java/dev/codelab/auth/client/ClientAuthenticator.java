package dev.codelab.auth.client;

import dev.codelab.auth.oauth.Form;
import dev.codelab.auth.oauth.OAuthError;
import dev.codelab.auth.user.PasswordHasher;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Identifies the client of a token, revoke or introspect request: confidential clients by
 * {@code client_secret_basic} (HTTP Basic, id and secret form-urlencoded per RFC 6749 section 2.3.1) or
 * {@code client_secret_post}; public clients by {@code client_id} alone. Failures are 401
 * {@code invalid_client}, with a Basic challenge when Basic was tried.
 */
public final class ClientAuthenticator {

    private final ClientStore clients;
    private final PasswordHasher hasher;

    public ClientAuthenticator(ClientStore clients, PasswordHasher hasher) {
        this.clients = clients;
        this.hasher = hasher;
    }

    public OAuthClient authenticate(Headers headers, Form form) {
        Optional<String> authorization = headers.first(HeaderNames.AUTHORIZATION);
        if (authorization.isPresent() && authorization.get().regionMatches(true, 0, "Basic ", 0, 6)) {
            if (form.get("client_secret").isPresent()) {
                throw OAuthError.invalidRequest("Use only one client authentication method");
            }
            String[] idAndSecret =
                    basicCredentials(authorization.get().substring(6).strip());
            Optional<String> formId = form.get("client_id");
            if (formId.isPresent() && !formId.get().equals(idAndSecret[0])) {
                throw OAuthError.invalidRequest("client_id does not match the authenticated client");
            }
            return verify(idAndSecret[0], Optional.of(idAndSecret[1]), true);
        }
        return verify(form.require("client_id"), form.get("client_secret"), false);
    }

    private OAuthClient verify(String clientId, Optional<String> secret, boolean basic) {
        OAuthClient client =
                clients.find(clientId).filter(OAuthClient::active).orElseThrow(() -> OAuthError.invalidClient(basic));
        boolean authenticated = client.confidential()
                ? secret.isPresent() && hasher.verify(secret.get(), client.secretHash())
                : secret.isEmpty() || secret.get().isEmpty();
        if (!authenticated) {
            throw OAuthError.invalidClient(basic);
        }
        return client;
    }

    private static String[] basicCredentials(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                throw OAuthError.invalidClient(true);
            }
            return new String[] {
                URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)
            };
        } catch (IllegalArgumentException e) {
            throw OAuthError.invalidClient(true);
        }
    }
}
