package dev.codelab.auth.user;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What every creation path accepts. Passwords follow NIST SP 800-63B: length only (8 to 72 characters, and
 * at most 72 bytes since bcrypt ignores the rest), no composition rules, and not the username or email.
 */
final class UserRules {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.-]{3,64}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+");

    private UserRules() {}

    static void checkUsername(String username) {
        if (username == null || !USERNAME.matcher(username).matches()) {
            throw new InvalidUserException("Username must be 3 to 64 characters: letters, digits, '_', '.', '-'");
        }
    }

    static void checkEmail(String email) {
        if (email == null || email.length() > 255 || !EMAIL.matcher(email).matches()) {
            throw new InvalidUserException("Email address is not valid");
        }
    }

    static void checkPassword(String password, String username, String email) {
        if (password == null || password.length() < 8 || password.length() > 72) {
            throw new InvalidUserException("Password must be 8 to 72 characters long");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > PasswordHasher.MAX_BYTES) {
            throw new InvalidUserException("Password must be at most 72 bytes in UTF-8");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (lower.equals(username.toLowerCase(Locale.ROOT)) || lower.equals(email.toLowerCase(Locale.ROOT))) {
            throw new InvalidUserException("Password must not be the username or email");
        }
    }
}
