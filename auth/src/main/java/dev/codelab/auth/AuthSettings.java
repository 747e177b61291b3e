package dev.codelab.auth;

import dev.codelab.auth.abuse.AbuseGuard;
import dev.codelab.shared.config.Secrets;
import dev.codelab.shared.config.ServiceConfig;
import io.helidon.config.Config;
import java.time.Duration;
import java.util.List;

/**
 * The auth service's settings, read once from the {@code auth-service} config root (environment
 * {@code AUTH_SERVICE__*}); docs/auth.md lists each one.
 */
record AuthSettings(
        String environment,
        String version,
        String issuer,
        String audience,
        String publicUrl,
        String dbUrl,
        int dbPoolSize,
        String redisUrl,
        String redisKeyPrefix,
        boolean redisFailOpen,
        AbuseGuard.Limits limits,
        String trustedProxies,
        String masterKey,
        String internalClientSecret,
        String adminPassword,
        int accessTokenLifetime,
        int refreshTokenLifetime,
        int sessionMaxSeconds,
        int keyRotationDays,
        Duration keyPublishLead,
        Duration keyRefreshInterval,
        int auditRetentionDays,
        Duration purgeInterval,
        int bcryptCost,
        String privateKeyPath) {

    /** The master key the yaml ships for development; production refuses it. */
    static final String DEV_MASTER_KEY = "dev-master-key-change-me";

    static final String DEV_INTERNAL_CLIENT_SECRET = "dev-internal-secret-change-me";

    static AuthSettings from(Config config) {
        Config auth = config.get("auth-service");
        String environment = config.get("environment").asString().orElse("development");
        String issuer = auth.get("jwt-issuer").asString().orElse("https://auth.codelab.local");
        String adminPassword = auth.get("admin-password").asString().orElse("");
        if (Secrets.isProduction(config) && adminPassword.isBlank()) {
            throw new IllegalStateException("ENVIRONMENT=production needs AUTH_SERVICE__ADMIN_PASSWORD");
        }
        return new AuthSettings(
                environment,
                auth.get("version").asString().orElse("0.1.0"),
                issuer,
                auth.get("jwt-audience").asString().orElse("codelab-api"),
                ServiceConfig.stripSlash(auth.get("public-url").asString().orElse(issuer)),
                auth.get("db-url")
                        .asString()
                        .orElseThrow(() -> new IllegalStateException("AUTH_SERVICE__DB_URL is required")),
                auth.get("db-pool-size").asInt().orElse(10),
                auth.get("redis-url").asString().orElse("redis://localhost:6379/1"),
                auth.get("redis-key-prefix").asString().orElse(""),
                auth.get("redis-fail-open").asBoolean().orElse(true),
                new AbuseGuard.Limits(
                        auth.get("rate-limit-per-ip").asInt().orElse(5),
                        auth.get("rate-limit-per-username").asInt().orElse(10),
                        auth.get("brute-force-threshold").asInt().orElse(5),
                        auth.get("brute-force-lockout-duration").asInt().orElse(900)),
                auth.get("trusted-proxies").asString().orElse(""),
                Secrets.require(config, "auth-service.master-key", "AUTH_SERVICE__MASTER_KEY", List.of(DEV_MASTER_KEY)),
                Secrets.require(
                        config,
                        "auth-service.internal-client-secret",
                        "AUTH_SERVICE__INTERNAL_CLIENT_SECRET",
                        List.of(
                                DEV_INTERNAL_CLIENT_SECRET,
                                "internal-secret-123",
                                "internal-secret-change-in-production")),
                adminPassword,
                auth.get("access-token-lifetime").asInt().orElse(900),
                auth.get("refresh-token-lifetime").asInt().orElse(2_592_000),
                auth.get("session-max-seconds").asInt().orElse(2_592_000),
                auth.get("key-rotation-days").asInt().orElse(90),
                Duration.ofSeconds(auth.get("key-publish-lead-seconds").asInt().orElse(600)),
                Duration.ofSeconds(auth.get("key-refresh-seconds").asInt().orElse(60)),
                auth.get("audit-retention-days").asInt().orElse(90),
                Duration.ofSeconds(auth.get("purge-interval-seconds").asInt().orElse(3600)),
                auth.get("bcrypt-cost").asInt().orElse(12),
                auth.get("private-key-path").asString().orElse(""));
    }

    @Override
    public String toString() {
        return "AuthSettings[issuer=" + issuer + ", environment=" + environment + "]";
    }
}
