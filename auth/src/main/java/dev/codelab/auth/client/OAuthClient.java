package dev.codelab.auth.client;

import java.util.Set;
import java.util.SortedSet;

/**
 * A registered client.
 *
 * @param secretHash      bcrypt hash of the secret; {@code null} for public clients
 * @param allowedScopes   scopes it may be granted (sorted)
 * @param grantTypes      grant types it may use
 * @param accessLifetime  access token lifetime in seconds
 * @param refreshLifetime refresh token lifetime in seconds
 */
public record OAuthClient(
        String clientId,
        String secretHash,
        String name,
        boolean confidential,
        SortedSet<String> allowedScopes,
        Set<String> grantTypes,
        int accessLifetime,
        int refreshLifetime,
        boolean active) {

    public boolean allowsGrant(String grantType) {
        return grantTypes.contains(grantType);
    }

    @Override
    public String toString() {
        return "OAuthClient[" + clientId + "]";
    }
}
