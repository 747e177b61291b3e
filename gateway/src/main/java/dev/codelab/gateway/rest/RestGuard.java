package dev.codelab.gateway.rest;

import dev.codelab.gateway.auth.Authenticator;
import dev.codelab.gateway.auth.TokenRejection;
import dev.codelab.shared.http.ClientIp;
import dev.codelab.shared.http.ErrorBodies;
import dev.codelab.shared.jwt.AccessToken;
import dev.codelab.shared.jwt.InvalidTokenException;
import dev.codelab.shared.ratelimit.RateLimiter;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.util.Optional;

/**
 * Runs before every {@code /api/v1} REST route except health: the per-IP rate limit first (so that token
 * guessing is limited too), then the bearer token and its scope ({@code api:read} for GET, {@code api:write}
 * otherwise). The verified token is left in the request context for the route.
 */
public final class RestGuard implements Handler {

    static final String HEALTH_PATH = "/api/v1/health";
    private static final String TOKEN_KEY = "codelab.access-token";
    private static final int WINDOW_SECONDS = 60;

    private final Authenticator authenticator;
    private final RateLimiter limiter;
    private final ClientIp clientIp;
    private final int perMinute;

    public RestGuard(Authenticator authenticator, RateLimiter limiter, ClientIp clientIp, int perMinute) {
        this.authenticator = authenticator;
        this.limiter = limiter;
        this.clientIp = clientIp;
        this.perMinute = perMinute;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        if (req.path().absolute().path().equals(HEALTH_PATH)) {
            res.next();
            return;
        }
        if (!withinRate(req, res)) {
            return;
        }
        authorized(req, res).ifPresent(accessToken -> {
            req.context().register(TOKEN_KEY, accessToken);
            res.next();
        });
    }

    /** Counts the request against its IP's limit and says so in headers; answers 429 past it. */
    private boolean withinRate(ServerRequest req, ServerResponse res) {
        RateLimiter.Decision decision = limiter.hit("gw:rl:rest:" + clientIp.of(req), perMinute, WINDOW_SECONDS);
        res.header("X-RateLimit-Limit", String.valueOf(decision.limit()));
        res.header("X-RateLimit-Remaining", String.valueOf(decision.remaining()));
        res.header("X-RateLimit-Reset", String.valueOf(Instant.now().getEpochSecond() + decision.resetSeconds()));
        if (!decision.allowed()) {
            ErrorBodies.tooManyRequests(res, decision.resetSeconds());
        }
        return decision.allowed();
    }

    /** The request's verified token with the method's scope, or empty after answering 401 or 403. */
    private Optional<AccessToken> authorized(ServerRequest req, ServerResponse res) {
        Optional<String> token = Authenticator.fromAuthorization(req.headers().value(HeaderNames.AUTHORIZATION));
        if (token.isEmpty()) {
            TokenRejection.invalidToken(res, "Missing bearer token");
            return Optional.empty();
        }
        AccessToken accessToken;
        try {
            accessToken = authenticator.verify(token.get());
        } catch (InvalidTokenException e) {
            TokenRejection.invalidToken(res, e.getMessage());
            return Optional.empty();
        }
        String scope = req.prologue().method() == Method.GET ? Authenticator.READ_SCOPE : Authenticator.WRITE_SCOPE;
        if (!accessToken.hasScope(scope)) {
            TokenRejection.insufficientScope(res, scope);
            return Optional.empty();
        }
        return Optional.of(accessToken);
    }

    /** The caller verified by this guard. */
    static AccessToken caller(ServerRequest req) {
        return req.context()
                .get(TOKEN_KEY, AccessToken.class)
                .orElseThrow(() -> new IllegalStateException(
                        "RestGuard did not run for " + req.path().absolute().path()));
    }
}
