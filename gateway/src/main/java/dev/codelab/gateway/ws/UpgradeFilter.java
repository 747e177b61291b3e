package dev.codelab.gateway.ws;

import dev.codelab.gateway.agent.AgentClient;
import dev.codelab.gateway.agent.AgentClient.AgentResponse;
import dev.codelab.gateway.agent.AgentFailedException;
import dev.codelab.gateway.agent.SessionIds;
import dev.codelab.gateway.auth.Authenticator;
import dev.codelab.gateway.auth.TokenRejection;
import dev.codelab.shared.http.ApiException;
import dev.codelab.shared.http.ErrorBodies;
import dev.codelab.shared.http.Json;
import dev.codelab.shared.http.RequestLog;
import dev.codelab.shared.jwt.AccessToken;
import dev.codelab.shared.jwt.InvalidTokenException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.websocket.WsUpgrader;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Decides a WebSocket upgrade on {@code /api/v1/ws/{session_id}} before the {@code 101}: Helidon runs an
 * upgrade request through the HTTP filters first, so refusals here are ordinary HTTP answers with the JSON
 * error body (400 malformed, 401 token, 404 not the caller's session, 429 too many sockets, 503 shutting
 * down). An accepted upgrade is handed to the socket's listener as an {@link Admission} through the
 * {@link UpgradeHandoff}. Other paths pass untouched.
 */
final class UpgradeFilter implements Filter {

    static final String PATH_PREFIX = "/api/v1/ws/";
    private static final int RETRY_AFTER_SECONDS = 30;

    private final Authenticator authenticator;
    private final AgentClient agent;
    private final SessionOwners owners;
    private final ConnectionLimits limits;
    private final boolean authRequired;
    private final int defaultProtocol;
    private final int maxConnectionsPerUser;
    private final BooleanSupplier shuttingDown;
    private final UpgradeHandoff handoff;

    UpgradeFilter(
            Authenticator authenticator,
            AgentClient agent,
            SessionOwners owners,
            ConnectionLimits limits,
            boolean authRequired,
            int defaultProtocol,
            int maxConnectionsPerUser,
            BooleanSupplier shuttingDown,
            UpgradeHandoff handoff) {
        this.authenticator = authenticator;
        this.agent = agent;
        this.owners = owners;
        this.limits = limits;
        this.authRequired = authRequired;
        this.defaultProtocol = defaultProtocol;
        this.maxConnectionsPerUser = maxConnectionsPerUser;
        this.shuttingDown = shuttingDown;
        this.handoff = handoff;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        if (!path.startsWith(PATH_PREFIX) || !isUpgrade(req)) {
            chain.proceed();
            return;
        }
        Admission admission;
        try {
            admission = admit(req, res, path.substring(PATH_PREFIX.length()));
        } catch (ApiException e) {
            ErrorBodies.send(res, e.status(), e.code(), e.getMessage());
            return;
        }
        if (admission == null) {
            return;
        }
        boolean upgraded = false;
        try {
            upgraded = handoff.handOver(admission, chain::proceed);
        } finally {
            if (!upgraded) {
                limits.release(admission.userId(), admission.connectionId());
            }
        }
    }

    /** The admission, or {@code null} after answering a token problem or too many sockets. */
    private Admission admit(RoutingRequest req, RoutingResponse res, String sessionId) {
        if (shuttingDown.getAsBoolean()) {
            throw new ApiException(
                    Status.SERVICE_UNAVAILABLE_503, "service_unavailable", "The gateway is shutting down");
        }
        if (!SessionIds.isValid(sessionId)) {
            throw ApiException.badRequest("Malformed session id (allowed: [A-Za-z0-9._-]{1,128})");
        }
        int protocol = protocolOf(req.query().first("protocol").asOptional());
        Long lastSeq = lastSeqOf(req.query().first("last_seq").asOptional());
        String requestId = RequestLog.idOf(req);
        Bearer bearer = Bearer.of(req);
        Optional<String> userId = userOf(bearer, res, sessionId, requestId);
        if (userId.isEmpty()) {
            return null;
        }
        String connectionId = UUID.randomUUID().toString();
        if (!reserve(userId.get(), connectionId, res)) {
            return null;
        }
        return new Admission(
                userId.get(), sessionId, protocol, lastSeq, connectionId, bearer.inSubprotocol(), requestId);
    }

    /**
     * The bearer token of an upgrade, from the first place that has one: {@code Authorization}, the
     * {@code access_token} query parameter, {@code Sec-WebSocket-Protocol}.
     *
     * @param inSubprotocol the token came in {@code Sec-WebSocket-Protocol}, so {@code bearer} must be selected
     */
    private record Bearer(Optional<String> token, boolean inSubprotocol) {

        static Bearer of(RoutingRequest req) {
            Optional<String> header =
                    Authenticator.fromAuthorization(req.headers().value(HeaderNames.AUTHORIZATION));
            Optional<String> query =
                    req.query().first("access_token").asOptional().filter(t -> !t.isBlank());
            Optional<String> subprotocol =
                    Authenticator.fromSubprotocols(req.headers().value(WsUpgrader.PROTOCOL));
            return new Bearer(
                    header.or(() -> query).or(() -> subprotocol),
                    header.isEmpty() && query.isEmpty() && subprotocol.isPresent());
        }
    }

    /**
     * The user the upgrade is for: the token's subject, whose session it must be (created when new); without a
     * token, when allowed, the session's remembered owner. Empty after answering a token problem.
     */
    private Optional<String> userOf(Bearer bearer, RoutingResponse res, String sessionId, String requestId) {
        if (bearer.token().isEmpty()) {
            if (authRequired) {
                TokenRejection.invalidToken(res, "Missing bearer token");
                return Optional.empty();
            }
            return Optional.of(owners.ownerOf(sessionId).orElseThrow(() -> ApiException.notFound("Session not found")));
        }
        AccessToken accessToken;
        try {
            accessToken = authenticator.verify(bearer.token().get());
        } catch (InvalidTokenException e) {
            TokenRejection.invalidToken(res, e.getMessage());
            return Optional.empty();
        }
        if (!accessToken.hasScope(Authenticator.WRITE_SCOPE)) {
            TokenRejection.insufficientScope(res, Authenticator.WRITE_SCOPE);
            return Optional.empty();
        }
        String userId = accessToken.subject();
        ensureOwnedOrCreate(userId, sessionId, requestId);
        owners.remember(sessionId, userId);
        return Optional.of(userId);
    }

    /** Reserves one of the user's sockets, or answers 429 when all are taken. */
    private boolean reserve(String userId, String connectionId, RoutingResponse res) {
        if (limits.reserve(userId, connectionId)) {
            return true;
        }
        res.header(HeaderNames.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", "rate_limit_exceeded");
        body.put("message", "Too many open WebSockets: at most " + maxConnectionsPerUser + " per user");
        body.put("details", Map.of("max_connections", maxConnectionsPerUser));
        body.put("retry_after", RETRY_AFTER_SECONDS);
        Json.send(res, Status.TOO_MANY_REQUESTS_429, body);
        return false;
    }

    /**
     * The caller's session, or a new one under the IDE's id. A session of another user answers 404 as if it did
     * not exist (the agent refuses both the read and the create).
     */
    private void ensureOwnedOrCreate(String userId, String sessionId, String requestId) {
        AgentResponse existing = agent.send("GET", "/sessions/" + sessionId, userId, requestId, null);
        if (existing.isSuccess()) {
            return;
        }
        if (existing.status() != 404) {
            throw AgentFailedException.badGateway();
        }
        AgentResponse created =
                agent.send("POST", "/sessions", userId, requestId, Json.write(Map.of("session_id", sessionId)));
        if (created.isSuccess()) {
            return;
        }
        if (created.status() >= 400 && created.status() < 500 && created.status() != 401 && created.status() != 403) {
            throw ApiException.notFound("Session not found");
        }
        throw AgentFailedException.badGateway();
    }

    private int protocolOf(Optional<String> value) {
        if (value.isEmpty()) {
            return defaultProtocol;
        }
        return switch (value.get()) {
            case "1" -> 1;
            case "2" -> 2;
            default -> throw ApiException.badRequest("Query parameter 'protocol' must be 1 or 2");
        };
    }

    private static Long lastSeqOf(Optional<String> value) {
        if (value.isEmpty()) {
            return null;
        }
        if (!value.get().matches("\\d{1,18}")) {
            throw ApiException.badRequest("Query parameter 'last_seq' must be a non-negative integer");
        }
        return Long.parseLong(value.get());
    }

    private static boolean isUpgrade(RoutingRequest req) {
        return req.headers()
                .value(HeaderNames.UPGRADE)
                .map(v -> v.toLowerCase(Locale.ROOT).contains("websocket"))
                .orElse(false);
    }
}
