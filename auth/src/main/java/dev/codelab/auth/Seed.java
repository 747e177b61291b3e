package dev.codelab.auth;

import dev.codelab.auth.audit.RequestOrigin;
import dev.codelab.auth.client.ClientStore;
import dev.codelab.auth.client.OAuthClient;
import dev.codelab.auth.user.InvalidUserException;
import dev.codelab.auth.user.PasswordHasher;
import dev.codelab.auth.user.UserAdmin;
import dev.codelab.auth.user.UserStore;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rows every deployment starts with (idempotent, safe on every replica): the IDE's public client, the
 * confidential client of our own services (its secret follows {@code AUTH_SERVICE__INTERNAL_CLIENT_SECRET}),
 * and the {@code admin} user.
 */
final class Seed {

    static final String FLUTTER_CLIENT = "codelab-flutter-app";
    static final String INTERNAL_CLIENT = "codelab-internal";
    static final String ADMIN = "admin";

    private static final String PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final ClientStore clients;
    private final UserStore users;
    private final UserAdmin userAdmin;
    private final PasswordHasher hasher;
    private final Clock clock;

    Seed(ClientStore clients, UserStore users, UserAdmin userAdmin, PasswordHasher hasher, Clock clock) {
        this.clients = clients;
        this.users = users;
        this.userAdmin = userAdmin;
        this.hasher = hasher;
        this.clock = clock;
    }

    void clients(AuthSettings settings) {
        clients.insertIfAbsent(
                new OAuthClient(
                        FLUTTER_CLIENT,
                        null,
                        "CodeLab Flutter Application",
                        false,
                        scopes("api:read", "api:write"),
                        Set.of("password", "refresh_token"),
                        settings.accessTokenLifetime(),
                        settings.refreshTokenLifetime(),
                        true),
                "Official CodeLab mobile and desktop application",
                clock.instant());
        String secret = settings.internalClientSecret();
        var internal = clients.find(INTERNAL_CLIENT);
        if (internal.isEmpty()) {
            clients.insertIfAbsent(
                    new OAuthClient(
                            INTERNAL_CLIENT,
                            hasher.hash(secret),
                            "CodeLab Internal Services",
                            true,
                            scopes("api:admin", "api:read", "api:write"),
                            Set.of("client_credentials", "password", "refresh_token"),
                            3600,
                            7_776_000,
                            true),
                    "Internal microservices communication",
                    clock.instant());
        } else if (internal.get().confidential()
                && !hasher.verify(secret, internal.get().secretHash())) {
            clients.setSecretHash(INTERNAL_CLIENT, hasher.hash(secret), clock.instant());
        }
    }

    /**
     * Creates {@code admin} when absent, with the configured password, or else a random one printed once on
     * {@code console} (standard output, never a log file).
     */
    void admin(AuthSettings settings, PrintStream console) {
        if (users.findByLogin(ADMIN).isPresent()) {
            return;
        }
        boolean generated = settings.adminPassword().isBlank();
        String password = generated ? randomPassword() : settings.adminPassword();
        try {
            userAdmin.create(ADMIN, "admin@codelab.local", password, true, RequestOrigin.LOCAL);
        } catch (InvalidUserException e) {
            if (users.findByLogin(ADMIN).isPresent()) {
                return; // another replica seeded it first
            }
            throw new IllegalStateException("Cannot seed the admin user: " + e.getMessage(), e);
        }
        if (generated) {
            console.println(
                    "Generated password for user 'admin' (shown once; set AUTH_SERVICE__ADMIN_PASSWORD to choose it): "
                            + password);
        }
    }

    private static TreeSet<String> scopes(String... scopes) {
        return new TreeSet<>(Set.of(scopes));
    }

    private static String randomPassword() {
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            password.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
        }
        return password.toString();
    }
}
