package dev.codelab.auth;

import dev.codelab.auth.abuse.AbuseGuard;
import dev.codelab.auth.admin.AdminUsers;
import dev.codelab.auth.audit.AuditLog;
import dev.codelab.auth.client.ClientAuthenticator;
import dev.codelab.auth.client.ClientStore;
import dev.codelab.auth.discovery.WellKnown;
import dev.codelab.auth.keys.KeyRing;
import dev.codelab.auth.keys.SigningKey;
import dev.codelab.auth.maintenance.Maintenance;
import dev.codelab.auth.refresh.RefreshTokenStore;
import dev.codelab.auth.token.AccessTokens;
import dev.codelab.auth.token.OAuthEndpoints;
import dev.codelab.auth.user.PasswordHasher;
import dev.codelab.auth.user.User;
import dev.codelab.auth.user.UserAdmin;
import dev.codelab.auth.user.UserStore;
import dev.codelab.shared.db.Database;
import dev.codelab.shared.http.ClientIp;
import dev.codelab.shared.ratelimit.Redis;
import dev.codelab.shared.server.CodeLabService;
import dev.codelab.shared.server.Health;
import dev.codelab.shared.server.Readiness;
import dev.codelab.shared.server.Readiness.Impact;
import io.helidon.config.Config;
import io.helidon.webserver.http.HttpRouting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import redis.clients.jedis.JedisPooled;

/**
 * The OAuth2 authorization server: token, revoke and introspect endpoints, JWKS and metadata, health and
 * readiness. Starting it migrates the schema, makes sure a signing key exists, seeds the standard clients and
 * the admin user, and schedules key rotation and purges.
 */
public final class AuthApp implements CodeLabService {

    /** The development master key of auth-service.yaml, for tools that open the key table themselves. */
    public static final String DEV_MASTER_KEY = AuthSettings.DEV_MASTER_KEY;

    private static final System.Logger LOG = System.getLogger(AuthApp.class.getName());

    private final AuthSettings settings;
    private final Config config;
    private final Database database;
    private final JedisPooled redis;
    private final KeyRing keys;
    private final UserAdmin userAdmin;
    private final Maintenance maintenance;
    private final OAuthEndpoints endpoints;
    private final AdminUsers adminUsers;
    private final WellKnown wellKnown;
    private final Readiness readiness;

    private AuthApp(Config config, AuthSettings settings, Database database, JedisPooled redis, Clock clock) {
        this.config = config;
        this.settings = settings;
        this.database = database;
        this.redis = redis;
        PasswordHasher hasher = new PasswordHasher(settings.bcryptCost());
        AuditLog audit = new AuditLog(database, clock);
        ClientStore clients = new ClientStore(database);
        this.userAdmin = new UserAdmin(database, hasher, audit, clock);
        this.keys = new KeyRing(database, settings.masterKey(), clock);
        Seed seed = new Seed(clients, new UserStore(database), userAdmin, hasher, clock);
        seed.clients(settings);
        importPemKey(settings.privateKeyPath());
        keys.ensureKey();
        seed.admin(settings, System.out);
        AbuseGuard abuse =
                new AbuseGuard(redis, settings.redisFailOpen(), settings.limits(), settings.redisKeyPrefix());
        AccessTokens accessTokens =
                new AccessTokens(() -> keys.signingKey().jwk(), keys, settings.issuer(), settings.audience(), clock);
        ClientIp clientIp = ClientIp.create(settings.trustedProxies());
        this.endpoints = new OAuthEndpoints(new OAuthEndpoints.Deps(
                database,
                new ClientAuthenticator(clients, hasher),
                accessTokens,
                hasher,
                abuse,
                audit,
                clientIp,
                clock,
                settings.sessionMaxSeconds()));
        this.adminUsers = new AdminUsers(accessTokens, userAdmin, clientIp);
        this.wellKnown = new WellKnown(
                keys, settings.issuer(), settings.publicUrl(), List.of("api:admin", "api:read", "api:write"));
        this.readiness = readiness(database, abuse, settings.redisFailOpen());
        this.maintenance = new Maintenance(
                keys,
                new RefreshTokenStore(database),
                audit,
                clock,
                new Maintenance.Schedule(
                        settings.keyRefreshInterval(),
                        settings.keyRotationDays(),
                        settings.keyPublishLead(),
                        settings.purgeInterval(),
                        settings.auditRetentionDays()));
        maintenance.start();
    }

    private void importPemKey(String path) {
        if (path.isBlank()) {
            return;
        }
        if (Files.isRegularFile(Path.of(path))) {
            keys.importPem(Path.of(path));
        } else {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "AUTH_SERVICE__PRIVATE_KEY_PATH names no file (" + path + "); using the keys in the database");
        }
    }

    public static AuthApp create(Config config) {
        return create(config, Clock.systemUTC());
    }

    /** As {@link #create(Config)}, with the clock that stamps tokens and rows (tests move it). */
    public static AuthApp create(Config config, Clock clock) {
        AuthSettings settings = AuthSettings.from(config);
        Database database = Database.start(settings.dbUrl(), settings.dbPoolSize(), "auth");
        JedisPooled redis = null;
        try {
            redis = Redis.connect(settings.redisUrl());
            return new AuthApp(config, settings, database, redis, clock);
        } catch (RuntimeException e) {
            if (redis != null) {
                redis.close();
            }
            database.close();
            throw e;
        }
    }

    /**
     * {@code GET /ready}: 200 when PostgreSQL answers and Redis answers, or Redis is down but limits fail open (auth
     * still serves, unlimited); otherwise 503 naming what failed.
     */
    private static Readiness readiness(Database database, AbuseGuard abuse, boolean redisFailsOpen) {
        return new Readiness(
                "ready",
                "unavailable",
                "checks",
                req -> new Readiness.Report()
                        .check("database", database.isReachable(), "up", "down", Impact.FAILS)
                        .check(
                                "redis",
                                abuse.redisReachable(),
                                "up",
                                redisFailsOpen ? "down (rate limits fail open)" : "down",
                                redisFailsOpen ? Impact.NONE : Impact.FAILS));
    }

    @Override
    public String name() {
        return "auth";
    }

    @Override
    public void routing(HttpRouting.Builder routing) {
        routing.register(endpoints)
                .register("/oauth/admin/users", adminUsers)
                .register(wellKnown)
                .get("/health", Health.liveness("auth", config, "auth-service"))
                .get("/ready", readiness);
    }

    /**
     * Publishes a new signing key now; it signs from {@code now + publishLead} on, and the current key stays
     * published until its tokens have expired.
     */
    public SigningKey rotateKeys(Duration publishLead) {
        return keys.rotate(publishLead);
    }

    /** The publish lead configured for rotations ({@code AUTH_SERVICE__KEY_PUBLISH_LEAD_SECONDS}). */
    public Duration keyPublishLead() {
        return settings.keyPublishLead();
    }

    /** Makes sure the user exists, is active and has this password (the dev stack's demo user). */
    public User ensureUser(String username, String email, String password) {
        return userAdmin.ensure(username, email, password);
    }

    public UserAdmin users() {
        return userAdmin;
    }

    KeyRing keyRing() {
        return keys;
    }

    Maintenance maintenance() {
        return maintenance;
    }

    @Override
    public void close() {
        maintenance.close();
        redis.close();
        database.close();
    }
}
