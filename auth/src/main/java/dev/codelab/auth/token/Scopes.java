package dev.codelab.auth.token;

import dev.codelab.auth.client.OAuthClient;
import dev.codelab.auth.oauth.OAuthError;
import java.util.Arrays;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The scope a request is granted: the client's allowed scopes when none is asked for, else the requested set
 * if the client may have all of it. Always sorted and space-joined.
 */
final class Scopes {

    private Scopes() {}

    static String grant(OAuthClient client, Optional<String> requested) {
        String text = requested.map(String::strip).orElse("");
        if (text.isEmpty()) {
            return String.join(" ", client.allowedScopes());
        }
        TreeSet<String> asked = new TreeSet<>(Arrays.asList(text.split("\\s+")));
        if (!client.allowedScopes().containsAll(asked)) {
            throw OAuthError.invalidScope("The requested scope is not allowed for this client");
        }
        return String.join(" ", asked);
    }
}
