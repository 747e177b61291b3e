package dev.codelab.agent.api;

import java.sql.Connection;
import java.time.Duration;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import dev.codelab.agent.llm.Cancellation;
import dev.codelab.agent.store.SessionLock;
import dev.codelab.agent.store.Sessions;
import dev.codelab.agent.store.Sessions.Session;
import dev.codelab.agent.store.Turns;
import dev.codelab.agent.turn.ClientFrame;
import dev.codelab.agent.turn.DoneReason;
import dev.codelab.agent.turn.EventSink;
import dev.codelab.agent.turn.Events;
import dev.codelab.agent.turn.TurnContext;
import dev.codelab.agent.turn.TurnEngine;
import dev.codelab.shared.http.ApiException;
import dev.codelab.shared.http.RequestLog;
import dev.codelab.shared.sse.SseWriter;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code POST /agent/message/stream} (protocol.md section 2): checks the request, takes the session lock, and runs
 * the frame with its events streamed as SSE. Every problem found before streaming is a plain JSON error
 * (400/404/409); once streaming, every stream ends with exactly one {@code done}.
 */
final class StreamService implements HttpService {

    /** How long a turn request waits for the previous turn's request to let go of the session (found in the soak run). */
    private static final Duration LOCK_WAIT = Duration.ofSeconds(2);

    private static final System.Logger LOG = System.getLogger(StreamService.class.getName());

    private final String internalKey;
    private final DataSource dataSource;
    private final TurnEngine engine;
    private final Duration keepAlive;
    private final Duration cancelPoll;
    private final RunningTurns running = new RunningTurns();

    StreamService(String internalKey, DataSource dataSource, TurnEngine engine, Duration keepAlive,
                  Duration cancelPoll) {
        this.internalKey = internalKey;
        this.dataSource = dataSource;
        this.engine = engine;
        this.keepAlive = keepAlive;
        this.cancelPoll = cancelPoll;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(Caller.internalAuth(internalKey))
                .post("/message/stream", this::stream);
    }

    private void stream(ServerRequest req, ServerResponse res) {
        String userId = Caller.userId(req);
        JsonNode body = Requests.jsonObject(req, false);
        JsonNode sessionNode = body.get("session_id");
        if (sessionNode == null || !sessionNode.isTextual() || sessionNode.asText().isBlank()) {
            throw new ApiException(Status.BAD_REQUEST_400, "missing_field", "session_id is required");
        }
        String sessionId = sessionNode.asText();
        ClientFrame frame = ClientFrame.parse(body.get("message"));
        Connection connection = Connections.open(dataSource);
        try {
            Session session = Sessions.findOwned(connection, sessionId, userId)
                    .orElseThrow(() -> ApiException.notFound("Session " + sessionId + " not found"));
            if (frame instanceof ClientFrame.Cancel && cancelRunning(sessionId, res)) {
                return;
            }
            if (!SessionLock.tryLock(connection, sessionId, frame instanceof ClientFrame.Cancel ? Duration.ZERO : LOCK_WAIT)) {
                if (frame instanceof ClientFrame.Cancel) {
                    Turns.requestCancel(connection, sessionId);
                    confirmCancel(res);
                    return;
                }
                throw new ApiException(Status.CONFLICT_409, "turn_in_progress",
                        "A turn is already running for session " + sessionId);
            }
            try {
                engine.check(connection, session, frame);
                runLocked(new TurnRequest(connection, sessionId, RequestLog.idOf(req)), frame, res);
            } finally {
                SessionLock.unlock(connection, sessionId);
            }
        } finally {
            Connections.close(connection);
        }
    }

    /** A cancel for a turn this process is streaming: stop it and confirm. */
    private boolean cancelRunning(String sessionId, ServerResponse res) {
        return running.find(sessionId).map(cancellation -> {
            cancellation.cancel();
            confirmCancel(res);
            return true;
        }).orElse(false);
    }

    private static void confirmCancel(ServerResponse res) {
        try (SseWriter writer = SseWriter.open(res)) {
            writer.data(dev.codelab.shared.http.Json.write(Events.done(DoneReason.CANCELLED)));
        }
    }

    private void runLocked(TurnRequest request, ClientFrame frame, ServerResponse res) {
        Cancellation cancellation = new Cancellation();
        running.started(request.sessionId(), cancellation);
        Turns.clearCancelRequest(request.connection(), request.sessionId());
        SseWriter writer = SseWriter.open(res);
        EventSink sink = new EventSink(writer, cancellation, keepAlive);
        CancelWatch watch = new CancelWatch(dataSource, request.sessionId(), cancellation, cancelPoll);
        try {
            engine.run(new TurnContext(request.connection(), request.sessionId(), request.requestId(), sink,
                    cancellation), frame);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Turn of session " + request.sessionId() + " failed", e);
            if (!sink.doneSent()) {
                endTurnAfterFailure(request);
                sink.send(Events.error("Internal error in the agent runtime", "INTERNAL_ERROR"));
                sink.send(Events.done(DoneReason.ERROR));
            }
        } finally {
            watch.close();
            running.ended(request.sessionId(), cancellation);
            sink.close();
            try {
                writer.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "The caller was gone before the stream ended");
            }
        }
    }

    private static void endTurnAfterFailure(TurnRequest request) {
        try {
            Turns.endOpen(request.connection(), request.sessionId(), DoneReason.ERROR.wire());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot mark the failed turn of " + request.sessionId(), e);
        }
    }

    private record TurnRequest(Connection connection, String sessionId, String requestId) {
    }
}
