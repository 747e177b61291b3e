package dev.codelab.client;

/**
 * No usable login: nothing is stored, or the refresh token was refused (expired, revoked, reused).
 * The user has to log in again with {@link CodeLabClient#login(String, String)}.
 */
public final class AuthenticationRequiredException extends CodeLabException {

    AuthenticationRequiredException(int status, String message) {
        super(status, "authentication_required", message, null);
    }
}
