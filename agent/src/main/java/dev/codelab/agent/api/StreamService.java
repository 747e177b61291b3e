package dev.codelab.agent.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.agent.llm.Cancellation;
import dev.codelab.agent.store.LeaseLostException;
import dev.codelab.agent.store.SessionLease;
import dev.codelab.agent.store.SessionStore.Session;
import dev.codelab.agent.store.TurnState;
import dev.codelab.agent.store.Turns;
import dev.codelab.agent.turn.DoneReason;
import dev.codelab.agent.turn.ErrorCode;
import dev.codelab.agent.turn.EventSink;
import dev.codelab.agent.turn.Events;
import dev.codelab.agent.turn.TurnContext;
import dev.codelab.agent.turn.TurnEngine;
import dev.codelab.agent.turn.TurnInput;
import dev.codelab.shared.db.Database;
import dev.codelab.shared.http.ApiException;
import dev.codelab.shared.http.RequestLog;
import dev.codelab.shared.sse.SseWriter;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code POST /agent/message/stream} (docs/agent.md, "Endpoints"): checks the request, takes the session's lease, and
 * runs the frame with its events streamed as SSE. The request holds no database connection while it streams. Every
 * problem found before streaming is a plain JSON error (400/404/409); once streaming, every stream ends with exactly
 * one {@code done}.
 */
final class StreamService implements HttpService {

    private static final System.Logger LOG = System.getLogger(StreamService.class.getName());

    private final Database database;
    private final TurnEngine engine;
    private final Duration keepAlive;
    private final RunningTurns running;
    private final SessionLeases leases;

    StreamService(
            Database database, TurnEngine engine, Duration keepAlive, RunningTurns running, SessionLeases leases) {
        this.database = database;
        this.engine = engine;
        this.keepAlive = keepAlive;
        this.running = running;
        this.leases = leases;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/message/stream", this::stream);
    }

    private void stream(ServerRequest req, ServerResponse res) {
        SessionAccess caller = SessionAccess.of(req);
        JsonNode body = Requests.jsonObject(req, false);
        JsonNode sessionNode = body.get("session_id");
        if (sessionNode == null
                || !sessionNode.isTextual()
                || sessionNode.asText().isBlank()) {
            throw new ApiException(Status.BAD_REQUEST_400, "missing_field", "session_id is required");
        }
        String sessionId = sessionNode.asText();
        TurnInput frame = TurnInput.parse(body.get("message"));
        Session session = caller.findOrCreate(database.sql(), sessionId);
        if (frame instanceof TurnInput.Cancel && cancelRunning(sessionId, res)) {
            return;
        }
        // A cancel flags a turn another replica runs at once, but waits for a request of this process that is
        // just finishing (its turn is no longer running here), so that it ends what that request left waiting.
        boolean flagAtOnce = frame instanceof TurnInput.Cancel && !leases.holdsHere(sessionId);
        Optional<SessionLease> lease = leases.take(sessionId, flagAtOnce ? Duration.ZERO : leases.longestWait());
        if (lease.isEmpty()) {
            if (frame instanceof TurnInput.Cancel) {
                Turns.requestCancel(database.sql(), sessionId);
                confirmCancel(res);
                return;
            }
            throw new ApiException(
                    Status.CONFLICT_409, "turn_in_progress", "A turn is already running for session " + sessionId);
        }
        try {
            engine.check(database.sql(), session, frame);
            runLeased(lease.get(), RequestLog.idOf(req), caller.userId().orElse(null), frame, res);
        } finally {
            leases.release(lease.get());
        }
    }

    /** A cancel for a turn this process is streaming: stop it and confirm. */
    private boolean cancelRunning(String sessionId, ServerResponse res) {
        return running.find(sessionId)
                .map(cancellation -> {
                    cancellation.cancel();
                    confirmCancel(res);
                    return true;
                })
                .orElse(false);
    }

    private static void confirmCancel(ServerResponse res) {
        try (SseWriter writer = SseWriter.open(res)) {
            writer.data(dev.codelab.shared.http.Json.write(Events.done(DoneReason.CANCELLED)));
        }
    }

    private void runLeased(SessionLease lease, String requestId, String userId, TurnInput frame, ServerResponse res) {
        String sessionId = lease.sessionId();
        Cancellation cancellation = new Cancellation();
        running.started(sessionId, cancellation);
        SseWriter writer = SseWriter.open(res);
        EventSink sink = new EventSink(writer, cancellation, keepAlive);
        try {
            engine.run(new TurnContext(database.sql(), lease, requestId, userId, sink, cancellation), frame);
        } catch (RuntimeException e) {
            if (e instanceof LeaseLostException) {
                LOG.log(System.Logger.Level.WARNING, e.getMessage() + "; its turn on this replica stops");
            } else {
                LOG.log(System.Logger.Level.ERROR, "Turn of session " + sessionId + " failed", e);
            }
            if (!sink.doneSent()) {
                endTurnAfterFailure(lease);
                sink.send(Events.error("Internal error in the agent runtime", ErrorCode.INTERNAL_ERROR));
                sink.send(Events.done(DoneReason.ERROR));
            }
        } finally {
            running.ended(sessionId, cancellation);
            sink.close();
            try {
                writer.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "The caller was gone before the stream ended");
            }
        }
    }

    private static void endTurnAfterFailure(SessionLease lease) {
        try {
            lease.write(tx -> Turns.endOpen(tx, lease.sessionId(), TurnState.ERROR));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot mark the failed turn of " + lease.sessionId() + ": " + e);
        }
    }
}
