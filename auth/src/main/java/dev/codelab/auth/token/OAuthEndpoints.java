package dev.codelab.auth.token;

import dev.codelab.auth.abuse.AbuseGuard;
import dev.codelab.auth.audit.AuditEvent;
import dev.codelab.auth.audit.AuditLog;
import dev.codelab.auth.audit.RequestOrigin;
import dev.codelab.auth.client.ClientAuthenticator;
import dev.codelab.auth.client.OAuthClient;
import dev.codelab.auth.oauth.Form;
import dev.codelab.auth.oauth.OAuthError;
import dev.codelab.auth.refresh.RefreshToken;
import dev.codelab.auth.refresh.RefreshTokenStore;
import dev.codelab.auth.user.PasswordHasher;
import dev.codelab.shared.db.ConstraintViolationException;
import dev.codelab.shared.db.Database;
import dev.codelab.shared.db.DatabaseUnavailableException;
import dev.codelab.shared.http.ClientIp;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.jwt.AccessToken;
import dev.codelab.shared.ratelimit.RateLimiter;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /oauth/token}, {@code /oauth/revoke} (RFC 7009) and {@code /oauth/introspect} (RFC 7662).
 * Every answer is {@code no-store}; every failure is an RFC 6749 error body, including unexpected ones.
 */
public final class OAuthEndpoints implements HttpService {

    private static final System.Logger LOG = System.getLogger(OAuthEndpoints.class.getName());
    private static final Set<String> GRANTS = Set.of(Grants.PASSWORD, Grants.REFRESH_TOKEN, Grants.CLIENT_CREDENTIALS);

    private final Database database;
    private final ClientAuthenticator clients;
    private final Grants grants;
    private final AccessTokens accessTokens;
    private final RefreshTokenStore refreshTokens;
    private final AbuseGuard abuse;
    private final AuditLog audit;
    private final ClientIp clientIp;
    private final Clock clock;

    /** The wiring the endpoints need; built once by the app. */
    public record Deps(
            Database database,
            ClientAuthenticator clients,
            AccessTokens accessTokens,
            PasswordHasher hasher,
            AbuseGuard abuse,
            AuditLog audit,
            ClientIp clientIp,
            Clock clock,
            int sessionMaxSeconds) {}

    public OAuthEndpoints(Deps deps) {
        this.database = deps.database();
        this.clients = deps.clients();
        this.accessTokens = deps.accessTokens();
        this.grants = new Grants(
                deps.database(),
                deps.hasher(),
                accessTokens,
                deps.abuse(),
                deps.audit(),
                deps.clock(),
                deps.sessionMaxSeconds());
        this.refreshTokens = new RefreshTokenStore(deps.database());
        this.abuse = deps.abuse();
        this.audit = deps.audit();
        this.clientIp = deps.clientIp();
        this.clock = deps.clock();
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/oauth/token", guarded(this::token))
                .post("/oauth/revoke", guarded(this::revoke))
                .post("/oauth/introspect", guarded(this::introspect));
    }

    private void token(ServerRequest req, ServerResponse res) {
        RequestOrigin origin = origin(req);
        limitPerIp(origin, res);
        Form form = Form.read(req);
        String grantType = form.require("grant_type");
        if (!GRANTS.contains(grantType)) {
            throw OAuthError.unsupportedGrantType(grantType.length() > 40 ? grantType.substring(0, 40) : grantType);
        }
        OAuthClient client = clients.authenticate(req.headers(), form);
        if (!client.allowsGrant(grantType)) {
            throw OAuthError.unauthorizedClient(grantType);
        }
        TokenResponse response = switch (grantType) {
            case Grants.PASSWORD -> grants.password(client, form, origin);
            case Grants.REFRESH_TOKEN -> grants.refresh(client, form, origin);
            default -> grants.clientCredentials(client, form);
        };
        Json.send(res, Status.OK_200, response.body());
    }

    private void limitPerIp(RequestOrigin origin, ServerResponse res) {
        RateLimiter.Decision decision = abuse.hitIp(origin.ip());
        res.header("X-RateLimit-Limit", String.valueOf(decision.limit()));
        res.header("X-RateLimit-Remaining", String.valueOf(decision.remaining()));
        res.header("X-RateLimit-Reset", String.valueOf(decision.resetSeconds()));
        if (decision.allowed()) {
            return;
        }
        if (decision.redisUnavailable()) {
            throw OAuthError.temporarilyUnavailable("Rate limiting is unavailable; try again later");
        }
        if (abuse.firstRejection("ip:" + origin.ip(), decision.resetSeconds())) {
            audit.record(AuditLog.Entry.failure(
                    AuditEvent.RATE_LIMITED,
                    null,
                    null,
                    origin,
                    Map.of("limit", "ip"),
                    "Token requests per IP exceeded"));
        }
        throw OAuthError.rateLimited(decision.resetSeconds());
    }

    /** RFC 7009: 200 for any well-formed request by an authenticated client; a refresh token takes its family along. */
    private void revoke(ServerRequest req, ServerResponse res) {
        Form form = Form.read(req);
        OAuthClient client = clients.authenticate(req.headers(), form);
        String token = form.require("token");
        Optional<RefreshToken> refresh =
                refreshTokens.find(token).filter(t -> t.clientId().equals(client.clientId()));
        refresh.ifPresent(t -> database.transaction(tx -> {
            int revoked = refreshTokens.revokeFamily(tx, t.familyId(), RefreshTokenStore.REVOKED, clock.instant());
            audit.record(
                    tx,
                    AuditLog.Entry.success(
                            AuditEvent.TOKEN_REVOKED,
                            t.userId(),
                            client.clientId(),
                            origin(req),
                            Map.of("revoked_tokens", revoked)));
            return null;
        }));
        res.status(Status.OK_200).send();
    }

    /** RFC 7662, for confidential clients: the token's claims with {@code active:true}, or {@code active:false}. */
    private void introspect(ServerRequest req, ServerResponse res) {
        Form form = Form.read(req);
        OAuthClient client = clients.authenticate(req.headers(), form);
        if (!client.confidential()) {
            throw OAuthError.invalidClient(req.headers().contains(HeaderNames.AUTHORIZATION));
        }
        String token = form.require("token");
        Map<String, Object> body = new LinkedHashMap<>();
        Optional<AccessToken> access = accessTokens.verify(token);
        if (access.isPresent()) {
            body.put("active", true);
            body.putAll(AccessTokens.claims(access.get()));
            body.put("token_type", "access_token");
        } else {
            Optional<RefreshToken> refresh = refreshTokens.find(token).filter(t -> t.isUsable(clock.instant()));
            body.put("active", refresh.isPresent());
            refresh.ifPresent(t -> {
                body.put("scope", t.scope());
                body.put("client_id", t.clientId());
                body.put("sub", t.userId().toString());
                body.put("exp", t.expiresAt().getEpochSecond());
                body.put("iat", t.createdAt().getEpochSecond());
                body.put("token_type", "refresh_token");
            });
        }
        Json.send(res, Status.OK_200, body);
    }

    private RequestOrigin origin(ServerRequest req) {
        return new RequestOrigin(
                clientIp.of(req), req.headers().first(HeaderNames.USER_AGENT).orElse(null));
    }

    private static Handler guarded(Handler handler) {
        return (req, res) -> {
            res.header(HeaderNames.CACHE_CONTROL, "no-store");
            res.header(HeaderNames.PRAGMA, "no-cache");
            try {
                handler.handle(req, res);
            } catch (OAuthError e) {
                e.send(res);
            } catch (DatabaseUnavailableException e) {
                LOG.log(Level.WARNING, "Database unavailable on " + req.path().path());
                OAuthError.temporarilyUnavailable("The service is temporarily unavailable")
                        .send(res);
            } catch (ConstraintViolationException e) {
                LOG.log(
                        Level.WARNING,
                        "Constraint " + e.constraint() + " refused a change on "
                                + req.path().path());
                OAuthError.invalidRequest("The request conflicts with stored data")
                        .send(res);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "Unexpected failure on " + req.path().path(), e);
                OAuthError.serverError().send(res);
            }
        };
    }
}
